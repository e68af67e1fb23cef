package main

import (
	"context"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
	googlestore "github.com/oneonone/oneonone/calendars/google/store"
)

// pushPath receives Google's notifications when public_url is https; they
// only wake the sync loop.
const pushPath = "/google/push"

// The channels are stored, so a notification may reach any instance
// sharing the database: the one holding the calendar's lease polls at
// once, another asks it to through the database.
func (d *daemon) setupPush() {
	channels := googlestore.ChannelStore{DB: d.app.db}
	hook := &google.Webhook{Trigger: d.pushed, Store: channels}
	d.push = &google.Channels{Hook: hook, Calendars: d.watched, Log: d.log, Store: channels}
	d.mux.Handle("POST "+pushPath, hook)
}

// pushed wakes the sync for a notification about calendar.
func (d *daemon) pushed(calendar string) {
	if d.leases.Holds(calendar) {
		d.wakeSync()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.leases.RequestPoll(ctx, calendar); err != nil {
		d.log.Warn("google push: asking the instance that syncs the calendar to poll", "calendar", calendar, "err", err)
	}
}

// wakeSync cuts the sync loop's wait short; it never blocks.
func (d *daemon) wakeSync() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// pushLoop keeps a channel open for every Google calendar.
func (d *daemon) pushLoop(ctx context.Context) error {
	if !strings.HasPrefix(d.app.conf().PublicURL, "https://") {
		return nil // Google only delivers to https addresses
	}
	return d.push.Run(ctx, d.app.conf().PublicURL+pushPath)
}

// watched is the Google calendars set up now.
func (d *daemon) watched() map[string]google.Watched {
	d.clientsMu.Lock()
	defer d.clientsMu.Unlock()
	out := make(map[string]google.Watched, len(d.googles))
	for name, f := range d.googles {
		if d.leases.Holds(name) { // the others' channels are their holders'
			out[name] = google.Watched{Client: f.Client, CalendarID: f.CalendarID}
		}
	}
	return out
}
