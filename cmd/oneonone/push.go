package main

import (
	"context"
	"errors"
	"strings"

	"github.com/oneonone/oneonone/calendars/google"
)

// pushPath receives Google's notifications when public_url is https; they
// only wake the sync loop.
const pushPath = "/google/push"

func (d *daemon) setupPush() {
	hook := &google.Webhook{Trigger: func(string) {
		select {
		case d.wake <- struct{}{}:
		default:
		}
	}}
	d.push = &google.Channels{Hook: hook, Calendars: d.watched, Log: d.log}
	d.mux.Handle("POST "+pushPath, hook)
	d.setupSubscriptions()
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
		if w, ok := google.WatchedFeed(c.Feed); ok {
			out[c.Name] = w
		}
	}
	return out
}
