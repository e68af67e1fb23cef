package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/google"
	googlestore "github.com/oneonone/oneonone/calendars/google/store"
	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

// useGrantsIn makes d the store of connected Google accounts' grants,
// encrypted with the secrets key, opened at the first need; the request
// budget is shared by every Google calendar of the process.
func (a *app) useGrantsIn(d *sql.DB) {
	a.google = &google.Shared{OpenTokens: func() (google.Tokens, error) {
		key, err := a.secretsKey()
		if err != nil {
			return nil, err
		}
		return googlestore.NewTokenStore(d, key, nil)
	}}
}

func (a *app) oauthApp() google.OAuthApp {
	cfg := a.conf()
	return google.OAuthApp{ClientID: cfg.Google.ClientID, ClientSecret: cfg.Google.ClientSecret,
		RedirectURL: cfg.PublicURL + "/connect/google/callback", AuthURL: cfg.Google.AuthURL, TokenURL: cfg.Google.TokenURL}
}

func (a *app) googleOptions(endpoint string) google.Options {
	return google.Options{Endpoint: endpoint, HTTPClient: a.httpClient("google"), Budget: a.google.Budget(),
		ConnectURL: a.conf().PublicURL + "/connect/google", Log: a.log}
}

func googleAccount(c config.Calendar) google.Account {
	return google.Account{CalendarID: c.CalendarID, Email: c.Email, Credentials: c.Credentials, Subject: c.Subject}
}

// setUpGoogle sets up one Google calendar.
func setUpGoogle(ctx context.Context, a *app, c config.Calendar, rules calendars.Rules) ([]sync.Calendar, int, error) {
	acc := googleAccount(c)
	client, err := google.Connect(ctx, acc, a.oauthApp(), a.google, a.googleOptions(c.Endpoint))
	if err != nil {
		return nil, 0, fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	return []sync.Calendar{{Name: c.Name, Kind: c.Type, Source: c.CalendarID, Owner: acc.Owner(), Rules: rules,
		Feed: google.Feed{Client: client, CalendarID: c.CalendarID}, Writer: google.Writer{Client: client, CalendarID: c.CalendarID},
		Sharing: google.Sharing}}, 0, nil
}

// checkGoogle fetches a token and reads the calendar, each tried at
// most twice: an unreachable endpoint is reported in seconds, not after
// a sync's retries.
func checkGoogle(ctx context.Context, a *app, c config.Calendar, connected bool) error {
	if len(c.Credentials) == 0 && !connected {
		return google.ErrNotConnected
	}
	opt := a.googleOptions(c.Endpoint)
	opt.MaxAttempts = 2
	client, err := google.Connect(ctx, googleAccount(c), a.oauthApp(), a.google, opt)
	if err != nil {
		return fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	return client.Check(ctx, c.CalendarID)
}

// setupConnect serves /connect/google (the OAuth web flow) when an OAuth
// client is configured; a new grant makes the sync loop set calendars up
// again at once.
func (d *daemon) setupConnect() {
	if d.app.conf().Google.ClientID == "" {
		return
	}
	store, err := d.app.google.Tokens()
	if err != nil {
		d.log.Warn("google connect page disabled", "err", err)
		return
	}
	c := google.NewConnector(d.app.oauthApp(), store, d.app.googleOptions(""))
	c.OnConnect = func(account string) {
		d.log.Info("google account connected", "account", account)
		d.rediscover.Store(true)
		d.wakeSync()
	}
	c.Register(d.mux)
}

// askToReconnect mails a calendar's owner once when its access was
// revoked (at the first failure of an episode, at most once a day).
func (d *daemon) askToReconnect(sum sync.Summary, owner string) {
	if !errors.Is(sum.Err, google.ErrReconnect) || owner == "" {
		return
	}
	r := prep.Reconnects{Outbox: d.outbox, Settings: prepSettings(d.app.conf()), Now: d.env.now, Notify: d.worker.Notify}
	if err := r.Ask(context.Background(), sum.Calendar, owner, sum.Err.Error()); err != nil {
		d.log.Error("reconnect mail", "calendar", sum.Calendar, "err", err)
	}
}
