-- The Microsoft 365 adapter's table: the change-notification
-- subscriptions (Graph's /subscriptions), one per mailbox's calendar, so
-- that any instance sharing the database accepts a notification and a
-- restart or another instance taking the calendar over keeps the
-- subscription instead of making another. The clientState is kept as its
-- SHA-256 only: a notification's clientState is checked against it.
-- Plain TEXT columns only, so one file serves SQLite and PostgreSQL
-- (like google_channels), and `oneonone db copy` copies it as it is.
CREATE TABLE microsoft365_subscriptions (
    calendar        TEXT NOT NULL PRIMARY KEY,  -- the synced calendar's name
    subscription_id TEXT NOT NULL UNIQUE,       -- Graph's id
    resource        TEXT NOT NULL,              -- users/{user}/events
    address         TEXT NOT NULL,              -- the notificationUrl
    state_hash      TEXT NOT NULL,              -- SHA-256 of the clientState, hex
    expiry          TEXT NOT NULL               -- UTC RFC 3339
);
