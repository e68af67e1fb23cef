-- A mail about a meeting is worthless once the meeting has started: it gets
-- an expiry, and a new final state, expired, for mail held back (by a rate
-- limit or a broken SMTP configuration) until then. SQLite cannot change a
-- CHECK constraint in place, so the table is rebuilt; nothing references it.
CREATE TABLE mailer_outbox_new (
    id           INTEGER PRIMARY KEY,
    dedup_key    TEXT    NOT NULL UNIQUE,
    message_id   TEXT    NOT NULL UNIQUE,
    from_addr    TEXT    NOT NULL,
    to_addrs     TEXT    NOT NULL,
    reply_to     TEXT    NOT NULL DEFAULT '',
    subject      TEXT    NOT NULL,
    text_body    TEXT    NOT NULL,
    html_body    TEXT    NOT NULL DEFAULT '',
    headers      TEXT    NOT NULL DEFAULT '[]',
    state        TEXT    NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'expired')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT    NOT NULL,
    last_error   TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    sent_at      TEXT,
    expires_at   TEXT                               -- NULL: never; else not sent at or after this instant
);

INSERT INTO mailer_outbox_new
    (id, dedup_key, message_id, from_addr, to_addrs, reply_to, subject, text_body, html_body, headers,
     state, attempts, next_attempt, last_error, created_at, updated_at, sent_at)
SELECT id, dedup_key, message_id, from_addr, to_addrs, reply_to, subject, text_body, html_body, headers,
     state, attempts, next_attempt, last_error, created_at, updated_at, sent_at
FROM mailer_outbox;

DROP TABLE mailer_outbox;
ALTER TABLE mailer_outbox_new RENAME TO mailer_outbox;
CREATE INDEX mailer_outbox_due ON mailer_outbox (state, next_attempt);
-- outbox retry --since and outbox list look at when a message last changed.
CREATE INDEX mailer_outbox_updated ON mailer_outbox (state, updated_at);

-- One row per recipient of each sent message, for the rate limits: how
-- many mails went to this address, and to anyone, in the last hour or day.
-- Rows older than a day are pruned as mail is sent.
CREATE TABLE mailer_sends (
    outbox_id INTEGER NOT NULL,
    rcpt      TEXT    NOT NULL,                     -- the bare address, lower case
    sent_at   TEXT    NOT NULL
);
CREATE INDEX mailer_sends_rcpt ON mailer_sends (rcpt, sent_at);
CREATE INDEX mailer_sends_at ON mailer_sends (sent_at);
