package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	gosync "sync"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	caldavstore "github.com/oneonone/oneonone/calendars/caldav/store"
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
	google    googleState
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
	d, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	return &app{cfg: cfg, db: d, log: log, now: e.now}, nil
}

// openDB opens (and migrates) the database file with every part's schema.
func openDB(ctx context.Context, file string) (*sql.DB, error) {
	return db.Open(ctx, file, schemas()...)
}

// protectDB keeps the database files private to the service user, also
// ones an earlier version or another tool left readable by others.
func protectDB(file string, log *slog.Logger) error {
	tightened, err := db.Protect(file)
	for _, f := range tightened {
		log.Warn("database file was readable by other users; made it 0600", "file", f)
	}
	return err
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
	if key, err := a.secretsKey(); err == nil {
		if c, err = prep.NewAnswerCipher(prep.AnswerKey(key)); err != nil {
			return err
		}
	}
	return prep.Rekey(ctx, tx, c, from.SeriesUID, from.RecurrenceID, to.SeriesUID, to.RecurrenceID)
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

// setUpCalendar sets one configured calendar up: discovery, login, the
// client. A CalDAV server URL may give several calendars. requests is what
// discovery cost when it failed (counted in the first feed's sync when it
// worked).
func (a *app) setUpCalendar(ctx context.Context, c config.Calendar) (cals []sync.Calendar, requests int, err error) {
	rules := rulesFrom(c.Detect)
	switch c.Type {
	case "caldav":
		return a.caldavCalendars(ctx, c, rules)
	case "google":
		cal, err := a.googleCalendar(ctx, c, rules)
		if err != nil {
			return nil, 0, err
		}
		return []sync.Calendar{cal}, 0, nil
	}
	return nil, 0, fmt.Errorf("calendar %s: unknown type %q", c.Name, c.Type)
}

// caldavCalendars sets up the collections of one configured CalDAV
// calendar: those stored from an earlier discovery when the url and
// username are still the same (no request at all), else discovered now
// and stored. The requests discovery made are counted in the first
// feed's sync, or returned with the error when it failed.
func (a *app) caldavCalendars(ctx context.Context, c config.Calendar, rules calendars.Rules) ([]sync.Calendar, int, error) {
	client, err := caldav.New(c.URL, caldav.Options{Username: c.Username, Password: c.Password, HTTPClient: a.httpClient("caldav")})
	if err != nil {
		return nil, 0, fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	var store *caldavstore.DiscoveryStore // check has no database: it discovers every time
	if a.db != nil {
		store = caldavstore.NewDiscoveryStore(a.db, a.now)
	}
	found, stored, err := findCalendars(ctx, client, store, c)
	requests := int(client.Requests())
	if err != nil {
		return nil, requests, fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	owner := c.Email
	if owner == "" && strings.Contains(c.Username, "@") {
		owner = c.Username
	}
	gone := func() { a.forgetDiscovery(store, c.Name) }
	var out []sync.Calendar
	for i, f := range found {
		name := c.Name
		if len(found) > 1 || strings.TrimSuffix(f.URL, "/") != strings.TrimSuffix(c.URL, "/") {
			name = c.Name + "/" + collectionName(f.URL)
		}
		// What discovery read is fresh only in this run; its cost is
		// counted in the first calendar's sync.
		known, cost := caldav.Known{NoSync: f.NoSync}, 0
		if !stored {
			known = f.Known()
		}
		if i == 0 {
			cost = requests
		}
		feed := caldav.Feed{Client: client, Collection: f.URL, NoSync: f.NoSync, Gone: gone,
			Setup: caldav.NewFeedSetup(cost, known)}
		out = append(out, sync.Calendar{Name: name, Kind: "caldav", Source: f.URL, Owner: owner, Rules: rules, Feed: feed})
	}
	return out, 0, nil
}

// findCalendars returns the collections stored for c (stored is true),
// else discovers and stores them.
func findCalendars(ctx context.Context, client *caldav.Client, store *caldavstore.DiscoveryStore, c config.Calendar) (found []caldav.Calendar, stored bool, err error) {
	found, stored, err = store.Load(ctx, c.Name, c.URL, c.Username)
	if err != nil || stored {
		return found, stored, err
	}
	if found, err = client.Discover(ctx); err != nil {
		return nil, false, err
	}
	if len(found) == 0 {
		return nil, false, fmt.Errorf("no calendars with events found at %s; check the url", caldavURL(c.URL))
	}
	return found, false, store.Save(ctx, c.Name, c.URL, c.Username, found)
}

// forgetDiscovery drops a stored discovery whose collection moved or is
// gone, and has the calendars set up again.
func (a *app) forgetDiscovery(store *caldavstore.DiscoveryStore, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := store.Forget(ctx, name); err != nil {
		a.log.Warn("calendar moved: could not drop what discovery found", "calendar", name, "err", err)
		return
	}
	a.log.Info("calendar moved or gone: its calendars will be found again", "calendar", name)
	if a.rediscovered != nil {
		a.rediscovered()
	}
}

// caldavURL is a configured URL fit for a message (no password).
func caldavURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	return u.String()
}

func collectionName(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return path.Base(strings.TrimSuffix(p.Path, "/"))
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

// httpClient is the HTTP client of a provider's ("caldav", "google")
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
