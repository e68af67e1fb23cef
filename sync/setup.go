package sync

import (
	"context"
)

// SetupFailed records that a configured calendar could not be set up
// (discovery, login, anything before its first sync): it gets a calendar
// row marked unhealthy with the reason, so that readiness and metrics
// show it from the start instead of leaving it out. kind and source are
// what the config says (the URL, the calendar id).
func (e *Engine) SetupFailed(ctx context.Context, name, kind, source string, err error) Summary {
	sum := Summary{Calendar: name, Err: err, Error: err.Error()}
	ctx = context.WithoutCancel(ctx)
	if dbErr := e.calendars().SetupFailed(ctx, name, kind, source, err.Error(), e.now()); dbErr != nil {
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
	return e.calendars().SetupDone(ctx, name)
}
