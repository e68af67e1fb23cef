package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	gosync "sync"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// app is what the commands that use the config and the database share.
type app struct {
	mu  gosync.RWMutex // guards cfg, which SIGHUP replaces
	cfg *config.Config
	db  *sql.DB
	log *slog.Logger
	// transport, when set, wraps every calendar client's HTTP transport
	// for its provider (the daemon counts requests by provider and status
	// with it).
	transport func(provider string) func(http.RoundTripper) http.RoundTripper
	rt        http.RoundTripper // made once by httpClient
	google    *google.Shared
	keyOnce   gosync.Once
	key       []byte
	keyErr    error
	now       func() time.Time
	// rediscovered, when set, hears that a CalDAV calendar moved or is
	// gone, so that the daemon sets its calendars up again.
	rediscovered func()
}

// conf returns the config in force.
func (a *app) conf() *config.Config {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.cfg
}

func (a *app) setConf(c *config.Config) {
	a.mu.Lock()
	a.cfg = c
	a.mu.Unlock()
}

// openApp loads the config named by --config (or $ONEONONE_CONFIG) and
// opens its database: SQLite in its state directory, or PostgreSQL.
func openApp(ctx context.Context, e *env, configFlag string) (*app, error) {
	file := config.Path(configFlag, e.getenv)
	cfg, err := config.LoadWith(file, e.getenv)
	if err != nil {
		var cerr *config.Errors
		if errors.As(err, &cerr) {
			return nil, exitError{code: 2, msg: err.Error()}
		}
		return nil, err
	}
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("state_dir %s: %w (create it, or set state_dir in %s)", cfg.StateDir, err, file)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: cfg.Level}))
	d, err := storeOf(cfg).Open(ctx, log, schemas()...)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, db: d, log: log, now: e.now}
	a.useGrantsIn(d)
	return a, nil
}

// storeOf is the configured database: PostgreSQL at [database] url,
// else the SQLite file in state_dir.
func storeOf(cfg *config.Config) db.Target {
	return db.Target{URL: cfg.Database.URL, StateDir: cfg.StateDir}
}

func (a *app) Close() error { return a.db.Close() }

func (a *app) engine(e *env) *sync.Engine {
	cfg := a.conf()
	return &sync.Engine{DB: a.db, Now: e.now, Window: sync.Window{Past: cfg.WindowPast, Ahead: cfg.WindowAhead},
		DefaultZone: cfg.Location, Log: a.log, OnRekey: a.followRekey}
}

// followRekey moves prep's requests and agenda records with an occurrence
// whose key the sync engine changed.
// The answer key is loaded only when answers must be copied: sync --once
// and the other commands run without it otherwise.
func (a *app) followRekey(ctx context.Context, tx *sql.Tx, from, to sync.Ref) error {
	var c *prep.AnswerCipher
	if _, err := a.secretsKey(); err == nil {
		if c, err = a.answerCipher(); err != nil {
			return err
		}
	}
	return prep.Rekey(ctx, tx, c, from.SeriesUID, from.RecurrenceID, to.SeriesUID, to.RecurrenceID)
}

// answerCipher opens answers with the secrets key.
func (a *app) answerCipher() (*prep.AnswerCipher, error) {
	key, err := a.secretsKey()
	if err != nil {
		return nil, err
	}
	return prep.NewAnswerCipher(prep.AnswerKey(key))
}

// calendars builds the sync engine's calendars from the config. A CalDAV
// URL that is not itself a calendar is a server or account to discover
// calendars from; each one found is synced as "<name>/<collection>".
// Calendars that cannot be set up are returned as failures that the sync
// summary reports, never as a reason to stop the others.
func (a *app) calendars(ctx context.Context) ([]sync.Calendar, []sync.Summary) {
	var cals []sync.Calendar
	var failed []sync.Summary
	for _, c := range a.conf().Calendars {
		if !c.Enabled {
			continue
		}
		found, requests, err := a.setUpCalendar(ctx, c)
		if err != nil {
			failed = append(failed, sync.Summary{Calendar: c.Name, Requests: requests, Err: err, Error: err.Error()})
			continue
		}
		cals = append(cals, found...)
	}
	return cals, failed
}

// setUpCalendar sets one configured calendar up through its provider:
// discovery, login, the client. A CalDAV server URL may give several
// calendars. requests is what discovery cost when it failed (counted in
// the first feed's sync when it worked).
func (a *app) setUpCalendar(ctx context.Context, c config.Calendar) (cals []sync.Calendar, requests int, err error) {
	p, err := providerOf(c)
	if err != nil {
		return nil, 0, err
	}
	return p.setUp(ctx, a, c, rulesFrom(c.Detect))
}

func rulesFrom(d config.Detect) calendars.Rules {
	return calendars.Rules{IncludeTitles: d.Include, ExcludeTitles: d.Exclude, OptInMarker: d.OptInMarker,
		OptOutMarker: d.OptOutMarker, IgnoreAttendees: d.IgnoreAttendees}
}

// sender is where mail goes: a Maildir when configured (the demo,
// trials), else the SMTP server.
func (a *app) sender() (mailer.Sender, error) {
	m := a.conf().Mail
	if m.Maildir != "" {
		return mailer.NewMaildirSender(m.Maildir)
	}
	return mailer.NewSMTPSender(mailer.SMTPConfig{Host: m.SMTPHost, Port: m.SMTPPort, TLS: mailer.TLSMode(m.SMTPTLS),
		Username: m.SMTPUsername, Password: m.SMTPPassword})
}

// httpClient is the HTTP client of a provider's (its config type)
// calendar clients: one transport (and its connection pool) shared by
// every calendar; sync.timeout bounds each request.
func (a *app) httpClient(provider string) *http.Client {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 4
		a.rt = t
	}
	rt := a.rt
	if a.transport != nil {
		rt = a.transport(provider)(rt)
	}
	timeout := a.cfg.Sync.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	return &http.Client{Transport: rt, Timeout: timeout}
}
