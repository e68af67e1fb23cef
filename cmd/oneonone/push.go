package main

import (
	"context"
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
		out[name] = google.Watched{Client: f.Client, CalendarID: f.CalendarID}
	}
	return out
}
