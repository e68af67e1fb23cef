package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/microsoft365"
	microsoft365store "github.com/oneonone/oneonone/calendars/microsoft365/store"
	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/sync"
)

// microsoft365Client acts as the app for one configured mailbox; every
// Microsoft 365 calendar of the process shares the default budget.
func microsoft365Client(a *app, c config.Calendar, attempts int) (*microsoft365.Client, error) {
	return microsoft365.New(microsoft365.Config{User: c.User, Tenant: c.Tenant, ClientID: c.ClientID, ClientSecret: c.ClientSecret,
		Endpoint: c.Endpoint, LoginEndpoint: c.LoginEndpoint},
		microsoft365.Options{HTTPClient: a.httpClient(c.Type), Now: a.now, MaxAttempts: attempts, Log: a.log})
}

// microsoft365Owner is the mailbox owner's address: email, else user
// when it is an address.
func microsoft365Owner(c config.Calendar) string {
	if c.Email == "" && strings.Contains(c.User, "@") {
		return strings.ToLower(c.User)
	}
	return c.Email
}

// setUpMicrosoft365 sets up one mailbox's calendar; no request is made
// until the first sync.
func setUpMicrosoft365(ctx context.Context, a *app, c config.Calendar, rules calendars.Rules) ([]sync.Calendar, int, error) {
	client, err := microsoft365Client(a, c, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	cfg := a.conf()
	return []sync.Calendar{{Name: c.Name, Kind: c.Type, Source: c.User, Owner: microsoft365Owner(c), Rules: rules,
		Feed:   microsoft365.Feed{Client: client, Past: cfg.WindowPast, Ahead: cfg.WindowAhead, Now: a.now},
		Writer: microsoft365.Writer{Client: client}, Sharing: microsoft365.Sharing}}, 0, nil
}

// checkMicrosoft365 fetches a token and reads the mailbox's calendar,
// each tried at most twice.
func checkMicrosoft365(ctx context.Context, a *app, c config.Calendar, _ bool) error {
	client, err := microsoft365Client(a, c, 2)
	if err != nil {
		return fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	return client.Check(ctx)
}

// reportCredentials logs once per failure episode that the app's
// credentials were refused: the calendar stays unhealthy (readyz,
// metrics) until an administrator fixes them, and no retry helps.
func (d *daemon) reportCredentials(sum sync.Summary) {
	if errors.Is(sum.Err, microsoft365.ErrCredentials) {
		d.log.Error("microsoft 365 credentials refused; the calendar is not synced until they are fixed",
			"calendar", sum.Calendar, "err", sum.Err)
	}
}

// subscriptionsPath receives Graph's validation requests and change
// notifications when public_url is https; they only wake the sync loop.
const subscriptionsPath = "/microsoft365/push"

// Subscriptions are stored like Google's channels: any instance sharing
// the database accepts a notification (pushed asks the lease holder to
// poll), and the holder takes a stored subscription over.
func (d *daemon) setupSubscriptions() {
	stored := microsoft365store.SubscriptionStore{DB: d.app.db}
	hook := &microsoft365.Webhook{Trigger: d.pushed, Store: stored}
	d.subs = &microsoft365.Subscriptions{Hook: hook, Calendars: d.mailboxes, Log: d.log, Store: stored}
	d.mux.Handle("POST "+subscriptionsPath, hook)
}

// mailboxes is the Microsoft 365 calendars set up now that this instance
// syncs (the others subscribe for theirs).
func (d *daemon) mailboxes() map[string]microsoft365.Watched {
	out := map[string]microsoft365.Watched{}
	for _, c := range d.current() {
		if w, ok := microsoft365.WatchedFeed(c.Feed); ok && d.leases.Holds(c.Name) {
			out[c.Name] = w
		}
	}
	return out
}
