package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
	googlestore "github.com/oneonone/oneonone/calendars/google/store"
)

// pushPath receives Google's notifications when public_url is https; they
// only wake the sync loop.
const pushPath = "/google/push"

// setupPush serves Google's notifications and Graph's. Google's channels
// are stored, so a notification may reach any instance sharing the
// database: the one holding the calendar's lease polls at once, another
// asks it to through the database.
func (d *daemon) setupPush() {
	channels := googlestore.ChannelStore{DB: d.app.db}
	hook := &google.Webhook{Trigger: d.pushed, Store: channels}
	d.push = &google.Channels{Hook: hook, Calendars: d.watched, Log: d.log, Store: channels}
	d.mux.Handle("POST "+pushPath, hook)
	d.setupSubscriptions()
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
		d.log.Warn("push: asking the instance that syncs the calendar to poll", "calendar", calendar, "err", err)
	}
}

// wakeSync cuts the sync loop's wait short; it never blocks.
func (d *daemon) wakeSync() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// pushLoop keeps a channel open for every Google calendar and a
// subscription on every Microsoft 365 mailbox.
func (d *daemon) pushLoop(ctx context.Context) error {
	if !strings.HasPrefix(d.app.conf().PublicURL, "https://") {
		return nil // Google and Graph only deliver to https addresses
	}
	done := make(chan error, 1)
	go func() { done <- d.subs.Run(ctx, d.app.conf().PublicURL+subscriptionsPath) }()
	err := d.push.Run(ctx, d.app.conf().PublicURL+pushPath)
	return errors.Join(err, <-done)
}

// watched is the Google calendars set up now.
func (d *daemon) watched() map[string]google.Watched {
	out := map[string]google.Watched{}
	for _, c := range d.current() {
		if w, ok := google.WatchedFeed(c.Feed); ok && d.leases.Holds(c.Name) { // the others' channels are their holders'
			out[c.Name] = w
		}
	}
	return out
}
