-- The sync engine's tables: calendars and their raw objects, the tracked
-- series and occurrences, the pairs of people, and their history.
-- Instants are UTC RFC 3339 text; all-day occurrence keys are dates.

CREATE TABLE calendars (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,          -- the [[calendar]] name in the config
    kind         TEXT    NOT NULL,                 -- caldav | google
    source       TEXT    NOT NULL DEFAULT '',      -- collection URL or Google calendar id
    owner        TEXT    NOT NULL DEFAULT '',      -- the owner's email, when known
    cursor       TEXT    NOT NULL DEFAULT '',      -- the adapter's change-feed position (JSON)
    healthy      INTEGER NOT NULL DEFAULT 1,
    last_error   TEXT    NOT NULL DEFAULT '',
    last_success TEXT,
    last_attempt TEXT
);

-- What each calendar holds, as the provider gave it, so that a change to
-- one resource can be re-read together with the other copies of its UID.
CREATE TABLE calendar_objects (
    calendar_id INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
    href        TEXT    NOT NULL,
    etag        TEXT    NOT NULL,
    uid         TEXT    NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (calendar_id, href)
);
CREATE INDEX calendar_objects_uid ON calendar_objects (uid);

CREATE TABLE pairs (
    id INTEGER PRIMARY KEY,
    a  TEXT NOT NULL,  -- the two normalized addresses, a < b
    b  TEXT NOT NULL,
    UNIQUE (a, b)
);

-- Every recurring event seen, taken or not, with the reason.
CREATE TABLE series (
    id           INTEGER PRIMARY KEY,
    uid          TEXT    NOT NULL UNIQUE,
    calendar_id  INTEGER NOT NULL REFERENCES calendars(id),  -- the copy written to: the organizer's when known
    organizer_copy INTEGER NOT NULL DEFAULT 0,                -- calendar_id is known to be the organizer's
    pair_id      INTEGER REFERENCES pairs(id),
    summary      TEXT    NOT NULL DEFAULT '',
    timezone     TEXT    NOT NULL DEFAULT '',
    organizer    TEXT    NOT NULL DEFAULT '',
    participants TEXT    NOT NULL DEFAULT '',  -- comma-separated emails of the people counted
    one_on_one   INTEGER NOT NULL DEFAULT 0,
    why          TEXT    NOT NULL DEFAULT '',
    state        TEXT    NOT NULL DEFAULT 'active',  -- active | ended
    expanded_to  TEXT    NOT NULL DEFAULT '',        -- the window end occurrences were last materialized to
    continues    TEXT    NOT NULL DEFAULT '',        -- UID of the series this one split from
    first_seen   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);

CREATE TABLE occurrences (
    series_id     INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    recurrence_id TEXT    NOT NULL,                 -- the key: original start (UTC) or date
    start         TEXT    NOT NULL,                 -- RFC 3339 with the event's offset, or a date
    end           TEXT    NOT NULL,
    starts_at     TEXT    NOT NULL,                 -- start and end as UTC RFC 3339, for comparisons
    ends_at       TEXT    NOT NULL,
    all_day       INTEGER NOT NULL DEFAULT 0,
    state         TEXT    NOT NULL,                 -- scheduled | moved | cancelled | declined | held | superseded
    declined_by   TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (series_id, recurrence_id)
);
CREATE INDEX occurrences_ends ON occurrences (state, ends_at);

CREATE TABLE history (
    id            INTEGER PRIMARY KEY,
    pair_id       INTEGER NOT NULL REFERENCES pairs(id),
    series_id     INTEGER NOT NULL REFERENCES series(id),
    recurrence_id TEXT    NOT NULL DEFAULT '',
    kind          TEXT    NOT NULL,  -- created | moved | cancelled | restored | declined | series_ended | participant_changed | held
    from_time     TEXT,
    to_time       TEXT,
    detail        TEXT    NOT NULL DEFAULT '',
    observed_at   TEXT    NOT NULL,
    notice_hours  REAL
);
CREATE INDEX history_pair ON history (pair_id, id);
