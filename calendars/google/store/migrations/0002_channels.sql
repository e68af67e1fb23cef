-- The open push channels (events.watch), one per Google calendar, so that
-- any instance sharing the database accepts a notification and a restart
-- or another instance taking the calendar over keeps the channel. The
-- channel's token is kept as its SHA-256 only: a notification's token is
-- checked against it, and a renewed channel gets a new token.
CREATE TABLE google_channels (
    calendar    TEXT NOT NULL PRIMARY KEY,  -- the synced calendar's name
    channel_id  TEXT NOT NULL UNIQUE,
    resource_id TEXT NOT NULL,
    calendar_id TEXT NOT NULL,              -- Google's calendar id
    address     TEXT NOT NULL,
    token_hash  TEXT NOT NULL,              -- SHA-256 of the token, hex
    expiration  TEXT NOT NULL DEFAULT ''    -- UTC RFC 3339; '' when Google gave none
);
