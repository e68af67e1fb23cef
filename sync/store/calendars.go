package store

import (
	"context"
	"fmt"
	"time"
)

// EnsureCalendar creates or updates the calendar's row and returns its id
// and cursor.
func (s Store) EnsureCalendar(ctx context.Context, name, kind, source, owner string) (int64, string, error) {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO calendars (name, kind, source, owner) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, source = excluded.source, owner = excluded.owner`,
		name, kind, source, owner)
	if err != nil {
		return 0, "", fmt.Errorf("sync: calendar %s: %w", name, err)
	}
	var id int64
	var cursor string
	if err := s.DB.QueryRowContext(ctx, `SELECT id, cursor FROM calendars WHERE name = ?`, name).Scan(&id, &cursor); err != nil {
		return 0, "", fmt.Errorf("sync: calendar %s: %w", name, err)
	}
	return id, cursor, nil
}

// MarkFailed records that the calendar's sync failed.
func (s Store) MarkFailed(ctx context.Context, id int64, reason string, now time.Time) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE calendars SET healthy = FALSE, last_error = ?, last_attempt = ? WHERE id = ?`, reason, utc(now), id)
	if err != nil {
		return fmt.Errorf("sync: record calendar failure: %w", err)
	}
	return nil
}

// SetupFailed records that a configured calendar could not be set up,
// creating its row when it has none.
func (s Store) SetupFailed(ctx context.Context, name, kind, source, reason string, now time.Time) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO calendars (name, kind, source, healthy, last_error, last_attempt) VALUES (?, ?, ?, FALSE, ?, ?)
		ON CONFLICT (name) DO UPDATE SET healthy = FALSE, last_error = excluded.last_error, last_attempt = excluded.last_attempt`,
		name, kind, source, reason, utc(now))
	if err != nil {
		return fmt.Errorf("sync: calendar %s set-up failure: %w", name, err)
	}
	return nil
}

// SetupDone drops the row SetupFailed made under name when nothing
// refers to it, else clears its failure.
func (s Store) SetupDone(ctx context.Context, name string) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM calendars WHERE name = ?
		AND NOT EXISTS (SELECT 1 FROM series s WHERE s.calendar_id = calendars.id)
		AND NOT EXISTS (SELECT 1 FROM calendar_objects o WHERE o.calendar_id = calendars.id)`, name)
	if err == nil {
		_, err = s.DB.ExecContext(ctx, `UPDATE calendars SET healthy = TRUE, last_error = '' WHERE name = ?`, name)
	}
	if err != nil {
		return fmt.Errorf("sync: calendar %s set up: %w", name, err)
	}
	return nil
}
