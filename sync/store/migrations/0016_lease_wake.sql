-- A push notification that reached an instance other than the calendar's
-- lease holder asks the holder to poll now; the holder sees it at its
-- next lease renewal (a sixth of an interval).
ALTER TABLE sync_leases ADD COLUMN wake_at TEXT NOT NULL DEFAULT '';
