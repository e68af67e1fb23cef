package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	gosync "sync"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/google"
	googlestore "github.com/oneonone/oneonone/calendars/google/store"
	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

// googleState is what every Google calendar of the process shares: one
// request budget (Google's quotas are per project) and the store of
// connected accounts' grants.
type googleState struct {
	once   gosync.Once
	budget *google.Budget
	store  *googlestore.TokenStore
	err    error
}

// tokens opens the store of connected accounts, encrypted with the
// secrets key.
func (a *app) tokens() (*googlestore.TokenStore, error) { return a.tokensIn(a.db) }

// tokensIn opens the store of connected accounts in d, once per process.
func (a *app) tokensIn(d *sql.DB) (*googlestore.TokenStore, error) {
	a.google.once.Do(func() {
		a.google.budget = google.DefaultBudget()
		key, err := a.secretsKey()
		if err != nil {
			a.google.err = err
			return
		}
		a.google.store, a.google.err = googlestore.NewTokenStore(d, key, nil)
	})
	return a.google.store, a.google.err
}

func (a *app) oauthApp() google.OAuthApp {
	cfg := a.conf()
	return google.OAuthApp{ClientID: cfg.Google.ClientID, ClientSecret: cfg.Google.ClientSecret,
		RedirectURL: cfg.PublicURL + "/connect/google/callback", AuthURL: cfg.Google.AuthURL, TokenURL: cfg.Google.TokenURL}
}

func (a *app) googleOptions(endpoint string) google.Options {
	a.tokens() // makes the shared budget
	return google.Options{Endpoint: endpoint, HTTPClient: a.httpClient("google"), Budget: a.google.budget,
		ConnectURL: a.conf().PublicURL + "/connect/google", Log: a.log}
}

// googleCalendar sets up one Google calendar.
func (a *app) googleCalendar(ctx context.Context, c config.Calendar, rules calendars.Rules) (sync.Calendar, error) {
	client, owner, err := a.googleClient(ctx, c, a.googleOptions(c.Endpoint))
	if err != nil {
		return sync.Calendar{}, err
	}
	return sync.Calendar{Name: c.Name, Kind: "google", Source: c.CalendarID, Owner: owner, Rules: rules,
		Feed: google.Feed{Client: client, CalendarID: c.CalendarID}}, nil
}

// googleClient acts for one Google calendar: through a service account
// acting as subject when a key file is configured, else through the
// grant its owner gave with `oneonone connect google`.
func (a *app) googleClient(ctx context.Context, c config.Calendar, opt google.Options) (client *google.Client, owner string, err error) {
	owner = c.Email
	if owner == "" {
		owner = c.Subject
	}
	if len(c.Credentials) > 0 {
		client, err = google.NewServiceAccount(ctx, c.Credentials, c.Subject, opt)
	} else {
		store, serr := a.tokens()
		if serr != nil {
			return nil, "", fmt.Errorf("calendar %s: %w", c.Name, serr)
		}
		if owner == "" {
			return nil, "", fmt.Errorf("calendar %s: set email to the Google account connected with `oneonone connect google`", c.Name)
		}
		client, err = google.NewUser(ctx, a.oauthApp(), store, owner, opt)
	}
	if err != nil {
		return nil, "", fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	return client, owner, nil
}

// setupConnect serves /connect/google (the OAuth web flow) when an OAuth
// client is configured; a new grant makes the sync loop set calendars up
// again at once.
func (d *daemon) setupConnect() {
	if d.app.conf().Google.ClientID == "" {
		return
	}
	store, err := d.app.tokens()
	if err != nil {
		d.log.Warn("google connect page disabled", "err", err)
		return
	}
	c := google.NewConnector(d.app.oauthApp(), store, d.app.googleOptions(""))
	c.OnConnect = func(account string) {
		d.log.Info("google account connected", "account", account)
		d.rediscover.Store(true)
		select {
		case d.wake <- struct{}{}:
		default:
		}
	}
	c.Register(d.mux)
}

// askToReconnect mails a calendar's owner once when its access was
// revoked (at the first failure of an episode, at most once a day).
func (d *daemon) askToReconnect(sum sync.Summary, owner string) {
	if !errors.Is(sum.Err, google.ErrReconnect) || owner == "" {
		return
	}
	msg, err := prep.ReconnectMail(prepSettings(d.app.conf()), sum.Calendar, owner, sum.Err.Error(), d.env.now())
	if err == nil {
		_, _, err = d.outbox.Enqueue(context.Background(), nil, msg)
	}
	if err != nil {
		d.log.Error("reconnect mail", "calendar", sum.Calendar, "err", err)
		return
	}
	d.worker.Notify()
}
