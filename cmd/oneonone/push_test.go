package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/google/googletest"
	"github.com/oneonone/oneonone/sync"
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
	d := &daemon{mux: http.NewServeMux(), wake: make(chan struct{}, 1), log: slog.New(slog.DiscardHandler),
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
