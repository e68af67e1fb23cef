-- Several instances share one database: each calendar is synced by the
-- instance holding its lease until the lease expires (renewed while the
-- instance lives, handed back when it stops). Instants are UTC RFC 3339.
CREATE TABLE sync_leases (
    calendar   TEXT NOT NULL PRIMARY KEY,   -- the synced calendar's name
    holder     TEXT NOT NULL DEFAULT '',    -- the instance id; '' when free
    expires_at TEXT NOT NULL DEFAULT ''     -- free again at this instant
);
CREATE INDEX sync_leases_holder ON sync_leases (holder);

-- The instances alive, so that each takes its share of the calendars.
CREATE TABLE sync_instances (
    id         TEXT NOT NULL PRIMARY KEY,
    expires_at TEXT NOT NULL                -- gone unless renewed before
);
