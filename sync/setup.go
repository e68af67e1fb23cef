package sync

import (
	"context"
	"fmt"
	"time"
)

// SetupFailed records that a configured calendar could not be set up
// (discovery, login, anything before its first sync): it gets a calendar
// row marked unhealthy with the reason, so that readiness and metrics
// show it from the start instead of leaving it out. kind and source are
// what the config says (the URL, the calendar id).
func (e *Engine) SetupFailed(ctx context.Context, name, kind, source string, err error) Summary {
	sum := Summary{Calendar: name, Err: err, Error: err.Error()}
	ctx = context.WithoutCancel(ctx)
	now := e.now().Format(time.RFC3339)
	_, dbErr := e.DB.ExecContext(ctx, `INSERT INTO calendars (name, kind, source, healthy, last_error, last_attempt) VALUES (?, ?, ?, 0, ?, ?)
		ON CONFLICT (name) DO UPDATE SET healthy = 0, last_error = excluded.last_error, last_attempt = excluded.last_attempt`,
		name, kind, source, err.Error(), now)
	if dbErr != nil {
		e.logger().Error("recording calendar set-up failure", "calendar", name, "err", dbErr)
	}
	return sum
}

// SetupDone is called once a configured calendar that failed to set up
// works. When it was discovered under other names ("ada/work"), the row
// SetupFailed made under the config name is no calendar: it goes if
// nothing refers to it, else it stops reporting the old failure.
func (e *Engine) SetupDone(ctx context.Context, name string, found []Calendar) error {
	for _, c := range found {
		if c.Name == name {
			return nil // synced under this name: its sync sets its health
		}
	}
	_, err := e.DB.ExecContext(ctx, `DELETE FROM calendars WHERE name = ?
		AND NOT EXISTS (SELECT 1 FROM series s WHERE s.calendar_id = calendars.id)
		AND NOT EXISTS (SELECT 1 FROM calendar_objects o WHERE o.calendar_id = calendars.id)`, name)
	if err == nil {
		_, err = e.DB.ExecContext(ctx, `UPDATE calendars SET healthy = 1, last_error = '' WHERE name = ?`, name)
	}
	if err != nil {
		return fmt.Errorf("sync: calendar %s set up: %w", name, err)
	}
	return nil
}
