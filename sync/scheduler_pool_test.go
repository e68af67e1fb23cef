package sync_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// httpFeed asks one server per poll, through a client with a timeout, as
// the adapters do.
type httpFeed struct {
	client *http.Client
	url    string
}

func (f httpFeed) Changes(ctx context.Context, cursor string) (calendars.Delta, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url, nil)
	if err != nil {
		return calendars.Delta{}, "", err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return calendars.Delta{Requests: 1}, "", fmt.Errorf("poll: %w", err)
	}
	resp.Body.Close()
	return calendars.Delta{Requests: 1}, "idle", nil
}

// One calendar whose server accepts the request and never answers does
// not hold the others back: with [sync] concurrency above one, every other
// calendar of the pass is synced while it hangs, and the client's
// per-request timeout (sync.timeout) ends the hang as a failure of that
// calendar alone. One at a time, the others wait behind it.
func TestHangingServerDelaysNoOtherCalendar(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	quick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer quick.Close()
	client := &http.Client{Timeout: 2 * time.Second}
	cals := []sync.Calendar{{Name: "hangs", Kind: "caldav", Feed: httpFeed{client, hang.URL}, Rules: calendars.DefaultRules()}}
	for i := range 5 {
		cals = append(cals, sync.Calendar{Name: fmt.Sprintf("quick%d", i), Kind: "caldav", Feed: httpFeed{client, quick.URL}, Rules: calendars.DefaultRules()})
	}
	for _, tc := range []struct {
		concurrency int
		quickFirst  bool
	}{{8, true}, {1, false}} {
		order := syncOnePass(t, cals, tc.concurrency)
		if len(order) != len(cals) {
			t.Fatalf("concurrency %d: synced %v, want all %d calendars", tc.concurrency, order, len(cals))
		}
		last := order[len(order)-1]
		if got := last == "hangs: failed"; got != tc.quickFirst {
			t.Errorf("concurrency %d: calendars synced in the order %v; the hanging one last: %v, want %v", tc.concurrency, order, got, tc.quickFirst)
		}
	}
}

// syncOnePass runs the scheduler until its first pass has synced every
// calendar and returns them in the order their syncs ended.
func syncOnePass(t *testing.T, cals []sync.Calendar, concurrency int) []string {
	t.Helper()
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"), sync.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	e := &sync.Engine{DB: d, Now: clock}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu gosync.Mutex
	var order []string
	passed := make(chan struct{})
	s := &sync.Scheduler{
		Engine: func() *sync.Engine { return e },
		Calendars: func() []sync.Configured {
			return []sync.Configured{{Name: "all", SetUp: func(context.Context) ([]sync.Calendar, error) { return cals, nil }}}
		},
		Interval:    func() time.Duration { return time.Hour },
		Concurrency: func() int { return concurrency },
		Now:         clock,
		Log:         slog.New(slog.DiscardHandler),
		Observe: func(sum sync.Summary) {
			mu.Lock()
			defer mu.Unlock()
			name := sum.Calendar
			if sum.Err != nil {
				name += ": failed"
			}
			order = append(order, name)
		},
		Synced: func() { cancel(); close(passed) },
	}
	go s.Run(ctx)
	select {
	case <-passed:
	case <-time.After(time.Minute):
		t.Fatal("the first pass did not end within a minute: the hanging request was not bounded")
	}
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), order...)
}
