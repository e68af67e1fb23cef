-- The prep tables. A meeting is referenced by (series_uid, recurrence_id),
-- the occurrence key of the sync engine, which never changes when the
-- occurrence moves; there are no foreign keys into the sync engine's
-- tables, which it owns and may rebuild.
--
-- Instants are UTC text in a fixed-width format (2006-01-02T15:04:05.000000Z)
-- so that they compare correctly as strings.

-- One prep request per person per occurrence: the link the person got.
-- The link token itself is stored nowhere. It is HMAC-SHA-256 of the
-- person's address and token_seed under a key that lives outside the
-- database (see prep/links.go); only its SHA-256 is kept, to look it up.
CREATE TABLE prep_requests (
    id            INTEGER PRIMARY KEY,
    series_uid    TEXT NOT NULL,
    recurrence_id TEXT NOT NULL,
    email         TEXT NOT NULL,                -- lowercased
    name          TEXT NOT NULL DEFAULT '',     -- as the calendar had it when the request was made
    role          TEXT NOT NULL CHECK (role IN ('organizer', 'attendee')),
    questions     TEXT NOT NULL,                -- JSON array: the questions asked, fixed when the request is made
    token_seed    TEXT NOT NULL,                -- 256 random bits, hex
    token_hash    TEXT NOT NULL UNIQUE,         -- SHA-256 of the token, hex
    created_at    TEXT NOT NULL,
    sent_at       TEXT,                         -- the invite was put into the outbox
    reminded_at   TEXT,                         -- the reminder was put into the outbox
    answered_at   TEXT,                         -- first save with an answer
    expires_at    TEXT NOT NULL,                -- the occurrence's end plus the grace period; follows moves
    UNIQUE (series_uid, recurrence_id, email)
);

-- The agenda worker's question: which occurrences have answers and live links?
CREATE INDEX prep_requests_answered ON prep_requests (answered_at, expires_at);

-- The current answers. An empty answer is no row.
CREATE TABLE prep_answers (
    request_id  INTEGER NOT NULL REFERENCES prep_requests (id) ON DELETE CASCADE,
    question_id TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (request_id, question_id)
);

-- Every change of an answer, oldest first; text '' records a cleared answer.
CREATE TABLE prep_answer_edits (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES prep_requests (id) ON DELETE CASCADE,
    question_id TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    edited_at   TEXT    NOT NULL
);

CREATE INDEX prep_answer_edits_request ON prep_answer_edits (request_id, question_id, id);

-- A person who paused prep mails for one series. Pausing never touches
-- the calendar.
CREATE TABLE prep_pauses (
    series_uid TEXT NOT NULL,
    email      TEXT NOT NULL,                   -- lowercased
    paused_at  TEXT NOT NULL,
    PRIMARY KEY (series_uid, email)
);

-- The agenda last delivered for an occurrence: written into the calendar
-- copy, or, when that cannot be written, emailed to both people.
CREATE TABLE prep_agenda_writes (
    series_uid    TEXT NOT NULL,
    recurrence_id TEXT NOT NULL,
    block_hash    TEXT NOT NULL DEFAULT '',     -- SHA-256 of the delivered block, hex; '' before the first delivery
    written_at    TEXT,                         -- last write into the calendar
    emailed_at    TEXT,                         -- last agenda mail
    last_error    TEXT NOT NULL DEFAULT '',     -- of the last failed write; '' after a success
    attempted_at  TEXT,                         -- last attempt, successful or not
    final_at      TEXT,                         -- the cut-off pass is done: nothing more is written
    PRIMARY KEY (series_uid, recurrence_id)
);
