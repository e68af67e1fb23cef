package main

import (
	"context"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
)

// Google push: when public_url is https, each Google calendar gets an
// events.watch channel whose notifications only wake the sync loop; the
// poll stays as the safety net. Channels are renewed before they expire
// and stopped on shutdown.

const (
	pushPath  = "/google/push"
	pushCheck = 10 * time.Minute
	pushRenew = time.Hour // renew a channel expiring sooner than this
)

type pushState struct {
	hook     *google.Webhook
	channels map[string]google.Channel // by calendar name
}

func (d *daemon) setupPush() {
	d.push.hook = &google.Webhook{Trigger: func(string) {
		select {
		case d.wake <- struct{}{}:
		default:
		}
	}}
	d.push.channels = map[string]google.Channel{}
	d.mux.Handle("POST "+pushPath, d.push.hook)
}

// pushLoop keeps a channel open for every Google calendar.
func (d *daemon) pushLoop(ctx context.Context) error {
	if !strings.HasPrefix(d.app.conf().PublicURL, "https://") {
		return nil // Google only delivers to https addresses
	}
	t := time.NewTicker(pushCheck)
	defer t.Stop()
	for {
		d.renewChannels(ctx, d.app.conf().PublicURL+pushPath)
		select {
		case <-ctx.Done():
			d.stopChannels()
			return nil
		case <-t.C:
		}
	}
}

func (d *daemon) renewChannels(ctx context.Context, address string) {
	d.clientsMu.Lock()
	feeds := make(map[string]google.Channel, len(d.googles))
	clients := map[string]*google.Client{}
	ids := map[string]string{}
	for name, f := range d.googles {
		feeds[name] = d.push.channels[name]
		clients[name], ids[name] = f.Client, f.CalendarID
	}
	d.clientsMu.Unlock()
	for name, ch := range feeds {
		next, err := d.openChannel(ctx, clients[name], ids[name], ch, address)
		if err != nil {
			d.log.Warn("google push channel", "calendar", name, "err", err)
			continue
		}
		if next.ID != ch.ID {
			d.push.hook.Forget(ch.ID)
			d.push.hook.Register(next, name)
		}
		d.push.channels[name] = next
	}
}

func (d *daemon) openChannel(ctx context.Context, c *google.Client, calID string, ch google.Channel, address string) (google.Channel, error) {
	if ch.ID == "" {
		return c.Watch(ctx, calID, address, google.NewChannelToken())
	}
	next, _, err := c.Renew(ctx, ch, pushRenew)
	return next, err
}

func (d *daemon) stopChannels() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	d.clientsMu.Lock()
	defer d.clientsMu.Unlock()
	for name, ch := range d.push.channels {
		if f, ok := d.googles[name]; ok {
			f.Client.Stop(ctx, ch)
		}
	}
}
