-- The durable outbox. One row per email; the row is created in the same
-- transaction as whatever caused the email (a prep request, a reminder), so
-- the two exist together or not at all.
--
-- Instants are UTC text in a fixed-width format (2006-01-02T15:04:05.000000Z)
-- so that they compare correctly as strings; lists are JSON arrays.
CREATE TABLE mailer_outbox (
    id           INTEGER PRIMARY KEY,
    dedup_key    TEXT    NOT NULL UNIQUE,           -- built by the caller, e.g. prep:<occurrence>:<participant>:invite
    message_id   TEXT    NOT NULL UNIQUE,           -- <random@domain-of-from>, the same on every retry
    from_addr    TEXT    NOT NULL,
    to_addrs     TEXT    NOT NULL,                  -- JSON array of RFC 5322 addresses
    reply_to     TEXT    NOT NULL DEFAULT '',
    subject      TEXT    NOT NULL,
    text_body    TEXT    NOT NULL,
    html_body    TEXT    NOT NULL DEFAULT '',
    headers      TEXT    NOT NULL DEFAULT '[]',     -- JSON array of {"name": ..., "value": ...}
    state        TEXT    NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,        -- counted when an attempt starts
    next_attempt TEXT    NOT NULL,
    last_error   TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    sent_at      TEXT                               -- NULL until sent
);

-- The worker's question: what is queued or deferred and due by now?
CREATE INDEX mailer_outbox_due ON mailer_outbox (state, next_attempt);
