package main

import (
	"context"

	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/sync"
)

// calendarSet is what the sync loop works on: the calendars set up, and
// the configured ones whose set-up failed (the server was down at start,
// a login was refused). Those are retried with the same backoff as a
// failing sync until they work, and are unhealthy in /readyz and
// /metrics meanwhile: a calendar is never silently left out.
type calendarSet struct {
	cals    []sync.Calendar
	pending []config.Calendar
}

// setUpCalendars sets every enabled calendar of the config up, as at
// start and after a reload.
func (d *daemon) setUpCalendars(ctx context.Context, backoff map[string]*retry) *calendarSet {
	set := &calendarSet{}
	for _, c := range d.app.conf().Calendars {
		if !c.Enabled {
			continue
		}
		found, _, err := d.app.setUpCalendar(ctx, c)
		if err != nil {
			set.pending = append(set.pending, c)
			d.setUpFailed(ctx, c, err, backoff)
			continue
		}
		set.cals = append(set.cals, found...)
		d.setUpWorked(ctx, c, found, backoff)
	}
	d.remember(set.cals)
	return set
}

// retrySetUps tries again the calendars that failed to set up and whose
// backoff has passed; the ones that work join the synced calendars.
func (d *daemon) retrySetUps(ctx context.Context, set *calendarSet, backoff map[string]*retry) {
	if len(set.pending) == 0 {
		return
	}
	now := d.env.now()
	var still []config.Calendar
	for _, c := range set.pending {
		if b := backoff[c.Name]; b != nil && now.Before(b.next) {
			still = append(still, c)
			continue
		}
		found, _, err := d.app.setUpCalendar(ctx, c)
		if err != nil {
			still = append(still, c)
			d.setUpFailed(ctx, c, err, backoff)
			continue
		}
		d.log.Info("calendar set up", "calendar", c.Name, "calendars", len(found))
		set.cals = append(set.cals, found...)
		d.setUpWorked(ctx, c, found, backoff)
	}
	set.pending = still
	d.remember(set.cals)
}

// setUpFailed marks the calendar unhealthy with the reason and schedules
// the next attempt.
func (d *daemon) setUpFailed(ctx context.Context, c config.Calendar, err error, backoff map[string]*retry) {
	source := c.URL
	if c.Type == "google" {
		source = c.CalendarID
	}
	sum := d.app.engine(d.env).SetupFailed(ctx, c.Name, c.Type, source, err)
	d.metrics.observe(sum)
	owner := c.Email
	if owner == "" {
		owner = c.Subject
	}
	backoff[c.Name] = d.noteResult(backoff[c.Name], sum, d.app.conf().Sync.Interval, owner)
}

// setUpWorked clears what a failed set-up left: its backoff (so that the
// calendars found sync at once) and, when they were found under other
// names, the unhealthy row under the config name (also one left by an
// earlier run).
func (d *daemon) setUpWorked(ctx context.Context, c config.Calendar, found []sync.Calendar, backoff map[string]*retry) {
	delete(backoff, c.Name)
	if err := d.app.engine(d.env).SetupDone(ctx, c.Name, found); err != nil {
		d.log.Warn("calendar set up", "calendar", c.Name, "err", err)
	}
}
