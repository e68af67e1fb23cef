package caldav

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Sharing is how CalDAV copies are shared: each person's copy is their
// own resource, and a write (which asks for no server-side scheduling)
// reaches its owner only.
const Sharing = calendars.OwnCopies

// Account is one configured CalDAV calendar: the URL of a collection,
// or of a server or account to discover collections from.
type Account struct {
	Name               string // the config name
	URL                string
	Username, Password string
	Email              string // the owner's address; "" takes the username when it is one
}

// Discoveries keeps what discovery found, per configured calendar
// (caldav/store's DiscoveryStore).
type Discoveries interface {
	Load(ctx context.Context, name, configuredURL, username string) ([]Calendar, bool, error)
	Save(ctx context.Context, name, configuredURL, username string, cals []Calendar) error
	Forget(ctx context.Context, name string) error
}

// SetUpOptions are what SetUp needs besides the account.
type SetUpOptions struct {
	Client *Client     // the account's client
	Store  Discoveries // nil: discover every time (check has no database)
	Log    *slog.Logger
	// Moved, when set, hears that a collection moved or is gone (its
	// stored discovery is dropped first): the calendars must be set up
	// again.
	Moved       func()
	DefaultZone *time.Location // for the writers: where floating times happen
}

// Found is one collection set up: named "<name>/<collection>" when the
// account gave several or another URL than its own.
type Found struct {
	Name, Collection, Owner string
	Feed                    Feed
	Writer                  Writer
}

// SetUp sets up the collections of one configured calendar: those stored
// from an earlier discovery when the url and username are still the same
// (no request at all), else discovered now and stored. The requests
// discovery made are counted in the first feed's sync, or returned with
// the error when it failed.
func SetUp(ctx context.Context, acc Account, opt SetUpOptions) ([]Found, int, error) {
	found, stored, err := findCalendars(ctx, opt.Client, opt.Store, acc)
	requests := int(opt.Client.Requests())
	if err != nil {
		return nil, requests, err
	}
	owner := acc.Email
	if owner == "" && strings.Contains(acc.Username, "@") {
		owner = acc.Username
	}
	gone := func() { forget(opt, acc.Name) }
	var out []Found
	for i, f := range found {
		name := acc.Name
		if len(found) > 1 || strings.TrimSuffix(f.URL, "/") != strings.TrimSuffix(acc.URL, "/") {
			name = acc.Name + "/" + collectionName(f.URL)
		}
		// What discovery read is fresh only in this run; its cost is
		// counted in the first calendar's sync.
		known, cost := Known{NoSync: f.NoSync}, 0
		if !stored {
			known = f.Known()
		}
		if i == 0 {
			cost = requests
		}
		feed := Feed{Client: opt.Client, Collection: f.URL, NoSync: f.NoSync, Gone: gone, Setup: NewFeedSetup(cost, known)}
		out = append(out, Found{Name: name, Collection: f.URL, Owner: owner, Feed: feed,
			Writer: Writer{Objects: opt.Client, DefaultZone: opt.DefaultZone}})
	}
	return out, 0, nil
}

// findCalendars returns the collections stored for acc (stored is true),
// else discovers and stores them.
func findCalendars(ctx context.Context, client *Client, store Discoveries, acc Account) (found []Calendar, stored bool, err error) {
	if store != nil {
		found, stored, err = store.Load(ctx, acc.Name, acc.URL, acc.Username)
		if err != nil || stored {
			return found, stored, err
		}
	}
	if found, err = client.Discover(ctx); err != nil {
		return nil, false, err
	}
	if len(found) == 0 {
		return nil, false, fmt.Errorf("no calendars with events found at %s; check the url", safeURL(acc.URL))
	}
	if store == nil {
		return found, false, nil
	}
	return found, false, store.Save(ctx, acc.Name, acc.URL, acc.Username, found)
}

// forget drops a stored discovery whose collection moved or is gone, and
// has the calendars set up again.
func forget(opt SetUpOptions, name string) {
	if opt.Store == nil {
		return
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := opt.Store.Forget(ctx, name); err != nil {
		log.Warn("calendar moved: could not drop what discovery found", "calendar", name, "err", err)
		return
	}
	log.Info("calendar moved or gone: its calendars will be found again", "calendar", name)
	if opt.Moved != nil {
		opt.Moved()
	}
}

// safeURL is a configured URL fit for a message (no password).
func safeURL(raw string) string {
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
