package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/oneonone/oneonone/sync/db/dbtest"
	"github.com/oneonone/oneonone/sync/store"
)

// BenchmarkIdleCalendarTx is the store's part of syncing an idle
// calendar (its change feed says nothing changed): one transaction that
// looks for series to expand and saves the cursor, on each dialect.
func BenchmarkIdleCalendarTx(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, d := range dbtest.Dialects {
		b.Run(d.String(), func(b *testing.B) {
			s := store.New(dbtest.Open(b, d, store.Schema))
			id, _, err := s.EnsureCalendar(ctx, "ada", "caldav", "https://dav.example.com/ada/", "ada@example.com")
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				tx, err := s.Begin(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := tx.DueForExpansion(id, now.Add(60*24*time.Hour)); err != nil {
					b.Fatal(err)
				}
				if err := tx.SaveCursor(id, "token", now); err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
