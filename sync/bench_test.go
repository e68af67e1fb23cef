package sync_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// memFeed hands out its objects once, then reports no change: what a
// calendar looks like to the engine between two idle polls.
type memFeed struct{ objs []calendars.Object }

func (f *memFeed) Changes(_ context.Context, cursor string) (calendars.Delta, string, error) {
	if cursor != "" {
		return calendars.Delta{Requests: 1}, cursor, nil
	}
	return calendars.Delta{Updated: f.objs, Requests: 1}, "done", nil
}

// BenchmarkIdleSync10k measures a sync that finds no change while 10,000
// 1:1 series are tracked.
func BenchmarkIdleSync10k(b *testing.B) {
	d, err := db.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sync.Schema)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	f := &memFeed{}
	for i := 0; i < 10000; i++ {
		ics := fmt.Sprintf("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:s%d\r\nDTSTART;TZID=Europe/Berlin:20261103T100000\r\nDURATION:PT30M\r\nRRULE:FREQ=WEEKLY\r\nORGANIZER:mailto:a%d@example.com\r\nATTENDEE:mailto:b%d@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", i, i, i)
		f.objs = append(f.objs, calendars.Object{Href: fmt.Sprintf("/c/s%d.ics", i), ETag: `"1"`, Data: []byte(ics)})
	}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	e := &sync.Engine{DB: d, Now: func() time.Time { return now }}
	cal := sync.Calendar{Name: "bench", Kind: "caldav", Feed: f, Rules: calendars.DefaultRules()}
	start := time.Now()
	if s := e.SyncOne(context.Background(), cal, []sync.Calendar{cal}); s.Err != nil || s.Events != 10000 {
		b.Fatalf("initial sync: %+v", s)
	}
	b.ReportMetric(time.Since(start).Seconds(), "initial-s")
	b.ResetTimer()
	for b.Loop() {
		if s := e.SyncOne(context.Background(), cal, []sync.Calendar{cal}); s.Err != nil || s.Events != 0 {
			b.Fatalf("idle sync: %+v", s)
		}
	}
}

// BenchmarkStats: the pair figures (counts, streak, cancel rate) of 2,000
// pairs with 50 history events each, as `history` and every nudge check
// compute them.
func BenchmarkStats(b *testing.B) {
	var events []sync.Event
	kinds := []string{"created", "held", "cancelled", "held", "moved", "declined", "held"}
	for p := range 2000 {
		pair := []string{fmt.Sprintf("a%d@example.com", p), fmt.Sprintf("b%d@example.com", p)}
		for i := range 50 {
			rid := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, 7*i).Format(time.RFC3339)
			events = append(events, sync.Event{Pair: pair, SeriesUID: fmt.Sprintf("s%d", p), RecurrenceID: &rid, Kind: kinds[i%len(kinds)]})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if st := sync.Stats(events); len(st) != 2000 {
			b.Fatalf("%d pairs", len(st))
		}
	}
}
