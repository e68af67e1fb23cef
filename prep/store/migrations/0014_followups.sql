-- The mails around a meeting, one row per person: the follow-up after an
-- occurrence ("did it happen?") and the nudge when a pair's meetings keep
-- not happening. A row exists exactly when its mail is in the outbox, so
-- neither goes out twice, also across restarts.
--
-- kind 'followup': recurrence_id is the occurrence asked about.
-- kind 'nudge': series_uid is the pair's latest series, recurrence_id the
--   first occurrence of the streak the nudge is about (one per streak).
-- Tokens work as in prep_requests: HMAC of the address and token_seed
-- under the link key; only their SHA-256 is stored.
CREATE TABLE prep_followups (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('followup', 'nudge')),
    series_uid    TEXT NOT NULL,
    recurrence_id TEXT NOT NULL,
    email         TEXT NOT NULL,                -- lowercased
    name          TEXT NOT NULL DEFAULT '',
    token_seed    TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,                -- the page stops answering
    outcome       TEXT NOT NULL DEFAULT ''      -- '' | held | not_held | moved
                  CHECK (outcome IN ('', 'held', 'not_held', 'moved')),
    next_steps    TEXT NOT NULL DEFAULT '',     -- with held: carried into the next agenda
    answered_at   TEXT,
    UNIQUE (kind, series_uid, recurrence_id, email)
);
