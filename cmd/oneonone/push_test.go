package main

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/google/googletest"
	googlestore "github.com/oneonone/oneonone/calendars/google/store"
	microsoft365store "github.com/oneonone/oneonone/calendars/microsoft365/store"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// TestGooglePushWakesTheSyncLoop: the daemon's wiring of push: a channel
// is opened per Google calendar; Google's notification (with the
// channel's token) wakes the sync loop; a notification with a wrong token
// does not.
func TestGooglePushWakesTheSyncLoop(t *testing.T) {
	g := googletest.New()
	t.Cleanup(g.Close)
	g.AddCalendar("ada@example.com", "ada@example.com")
	c, err := google.NewServiceAccount(context.Background(), g.ServiceAccountKey(), "ada@example.com", google.Options{Endpoint: g.URL})
	if err != nil {
		t.Fatal(err)
	}
	shared := pushDB(t)
	d := &daemon{app: &app{db: shared}, mux: http.NewServeMux(), wake: make(chan struct{}, 1), log: slog.New(slog.DiscardHandler),
		current: func() []sync.Calendar {
			return []sync.Calendar{{Name: "ada", Kind: "google", Feed: google.Feed{Client: c, CalendarID: "primary"}}}
		}}
	d.setupPush()
	srv := httptest.NewServer(d.mux)
	t.Cleanup(srv.Close)
	d.push.Renew(context.Background(), srv.URL+pushPath)
	<-time.After(10 * time.Millisecond)
	select { // the confirming "sync" message must not wake it
	case <-d.wake:
		t.Fatal("the channel's sync message woke the loop")
	default:
	}
	if err := g.Notify("ada@example.com"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-d.wake:
	case <-time.After(5 * time.Second):
		t.Fatal("a notification did not wake the sync loop")
	}
	req, _ := http.NewRequest("POST", srv.URL+pushPath, nil)
	req.Header.Set("X-Goog-Channel-ID", d.push.Channel("ada").ID)
	req.Header.Set("X-Goog-Channel-Token", "forged")
	req.Header.Set("X-Goog-Resource-State", "exists")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("forged notification: %s, want 403", resp.Status)
	}
	select {
	case <-d.wake:
		t.Error("a forged notification woke the sync loop")
	default:
	}
}

func pushDB(t *testing.T) *sql.DB {
	t.Helper()
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"), sync.Schema, googlestore.Schema, microsoft365store.Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// A notification may reach any instance sharing the database (the load
// balancer's choice): one that never opened the channel checks it against
// the stored one and asks the calendar's lease holder to poll, which
// wakes at its next lease renewal; it does not poll itself.
func TestGooglePushReachesTheHolderThroughAnotherInstance(t *testing.T) {
	g := googletest.New()
	t.Cleanup(g.Close)
	g.AddCalendar("ada@example.com", "ada@example.com")
	c, err := google.NewServiceAccount(context.Background(), g.ServiceAccountKey(), "ada@example.com", google.Options{Endpoint: g.URL})
	if err != nil {
		t.Fatal(err)
	}
	shared := pushDB(t)
	now := func() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }
	instance := func(id string) *daemon {
		d := &daemon{app: &app{db: shared}, mux: http.NewServeMux(), wake: make(chan struct{}, 1), log: slog.New(slog.DiscardHandler),
			current: func() []sync.Calendar {
				return []sync.Calendar{{Name: "ada", Kind: "google", Feed: google.Feed{Client: c, CalendarID: "primary"}}}
			}}
		d.leases = &sync.Leases{DB: shared, Holder: id, Now: now, Log: d.log, Wake: d.wakeSync}
		d.setupPush()
		return d
	}
	holder, other := instance("a"), instance("b")
	ctx := context.Background()
	if _, err := holder.leases.Claim(ctx, []sync.Calendar{{Name: "ada"}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := other.leases.Claim(ctx, []sync.Calendar{{Name: "ada"}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	// Google delivers to the load balancer, which picks the other instance.
	lb := httptest.NewServer(other.mux)
	t.Cleanup(lb.Close)
	holder.push.Renew(ctx, lb.URL+pushPath)
	if other.push.Channel("ada").ID != "" {
		t.Fatal("the instance without the lease opened a channel too")
	}
	if err := g.Notify("ada@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := holder.leases.Beat(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	select {
	case <-holder.wake:
	case <-time.After(5 * time.Second):
		t.Fatal("the notification through the other instance did not wake the lease holder")
	}
	select {
	case <-other.wake:
		t.Error("the instance without the lease polled")
	default:
	}
}
