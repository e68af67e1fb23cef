-- The CalDAV adapter's table: what discovery found behind each configured
-- calendar, so that a start does not walk well-known URL, principal and
-- calendar home again. A row is used only while the calendar's url and
-- username are the ones it was found with; it is dropped when a
-- collection answers 404/410 or redirects, and found again.

CREATE TABLE caldav_discovery (
    calendar      TEXT NOT NULL PRIMARY KEY,  -- the [[calendar]] name in the config
    url           TEXT NOT NULL,              -- the configured url it was found from
    username      TEXT NOT NULL,
    calendars     TEXT NOT NULL,              -- JSON: the collections found (url, name, color, supports_sync, no_sync)
    discovered_at TEXT NOT NULL               -- UTC RFC 3339
);
