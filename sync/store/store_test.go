package store_test

import (
	"context"
	gosync "sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/sync/db/dbtest"
	"github.com/oneonone/oneonone/sync/store"
)

// each runs a test on SQLite and on PostgreSQL with a fresh store.
func each(t *testing.T, fn func(t *testing.T, s store.Store)) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) { fn(t, store.New(open(t, store.Schema))) })
}

// A sync that does not commit leaves neither its objects nor its cursor:
// the next run repeats the same changes.
func TestSyncTxIsAllOrNothing(t *testing.T) { each(t, testSyncTxIsAllOrNothing) }

func testSyncTxIsAllOrNothing(t *testing.T, s store.Store) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	id, cursor, err := s.EnsureCalendar(ctx, "ada", "caldav", "https://cal.example.com/ada/", "ada@example.com")
	if err != nil || cursor != "" {
		t.Fatalf("new calendar: cursor %q, %v", cursor, err)
	}
	for _, commit := range []bool{false, true} {
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.PutObject(id, "a.ics", `"1"`, "a", []byte("BEGIN:VCALENDAR")); err != nil {
			t.Fatal(err)
		}
		if err := tx.SaveCursor(id, "token-1", now); err != nil {
			t.Fatal(err)
		}
		if commit {
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		tx.Rollback()
		_, cursor, err = s.EnsureCalendar(ctx, "ada", "caldav", "https://cal.example.com/ada/", "ada@example.com")
		if err != nil {
			t.Fatal(err)
		}
		want := map[bool]string{false: "", true: "token-1"}[commit]
		if cursor != want {
			t.Fatalf("committed %v: cursor %q, want %q", commit, cursor, want)
		}
		check, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		uid, ok, err := check.ObjectUID(id, "a.ics")
		check.Rollback()
		if err != nil || ok != commit || (ok && uid != "a") {
			t.Fatalf("committed %v: object uid %q stored %v (%v)", commit, uid, ok, err)
		}
	}
}

// The pair of two addresses is one row whatever their order.
func TestPairIsOrderFree(t *testing.T) { each(t, testPairIsOrderFree) }

func testPairIsOrderFree(t *testing.T, s store.Store) {
	ctx := context.Background()
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ab, err := tx.Pair("ada@example.com", "grace@example.com")
	if err != nil {
		t.Fatal(err)
	}
	ba, err := tx.Pair("grace@example.com", "ada@example.com")
	if err != nil || ab != ba {
		t.Fatalf("pair ids %d and %d (%v), want one pair", ab, ba, err)
	}
}

// Syncs of two calendars that see the same pair at the same time make
// one pair row and agree on its id.
func TestConcurrentPairIsOneRow(t *testing.T) { each(t, testConcurrentPairIsOneRow) }

func testConcurrentPairIsOneRow(t *testing.T, s store.Store) {
	const n = 6
	ids := make([]int64, n)
	errs := make([]error, n)
	var wg gosync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tx, err := s.Begin(context.Background())
			if err != nil {
				errs[i] = err
				return
			}
			defer tx.Rollback()
			if ids[i], errs[i] = tx.Pair("grace@example.com", "ada@example.com"); errs[i] == nil {
				errs[i] = tx.Commit()
			}
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("pair %d: id %d (%v), want all %d", i, ids[i], errs[i], ids[0])
		}
	}
	var rows int
	if err := s.DB.QueryRow(`SELECT count(*) FROM pairs`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d pair rows (%v), want 1", rows, err)
	}
}
