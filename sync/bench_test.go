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
