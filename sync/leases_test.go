package sync

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	gosync "sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
	"github.com/oneonone/oneonone/sync/store"
)

// Instances sharing a database divide the calendars: each holds its
// share and no calendar is held twice; one that comes later gets its
// share once the first hands back the excess; the calendars of one that
// goes silent (kill -9) are taken over once its leases expire, counted
// as takeovers; one that stops hands its leases back at once.
// leaseSchema is the lease tables alone: they refer to no other table,
// and so the lease tests run on PostgreSQL whatever else of the engine's
// schema does.
func leaseSchema(t *testing.T) db.Schema {
	files := fstest.MapFS{}
	for _, name := range []string{"0015_leases.sql", "0016_lease_wake.sql"} {
		body, err := fs.ReadFile(Schema.FS, path.Join(Schema.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files["m/"+name] = &fstest.MapFile{Data: body}
	}
	return db.Schema{Owner: "sync_leases_test", FS: files, Dir: "m"}
}

func TestLeasesDivideCalendars(t *testing.T) {
	dbtest.Each(t, testLeasesDivideCalendars)
}

func testLeasesDivideCalendars(t *testing.T, open dbtest.Opener) {
	d := open(t, leaseSchema(t))
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	interval := 5 * time.Minute
	var cals []Calendar
	for i := range 10 {
		cals = append(cals, Calendar{Name: fmt.Sprintf("cal%02d", i)})
	}
	taken := map[string]int{}
	instance := func(id string) *Leases {
		return &Leases{DB: d, Holder: id, Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler),
			Observe: func(_, takenOver int) { taken[id] += takenOver }}
	}
	a, b := instance("a"), instance("b")
	claim := func(l *Leases) map[string]bool {
		t.Helper()
		held, err := l.Claim(ctx, cals, interval)
		if err != nil {
			t.Fatal(err)
		}
		return held
	}

	if got := claim(a); len(got) != 10 {
		t.Fatalf("a alone holds %d calendars, want all 10", len(got))
	}
	if got := claim(b); len(got) != 0 {
		t.Fatalf("b took %d calendars a holds and renews, want none", len(got))
	}
	now = now.Add(interval / 6)
	heldA := claim(a) // a sees two instances and hands five back
	heldB := claim(b)
	if len(heldA) != 5 || len(heldB) != 5 {
		t.Fatalf("a holds %d, b %d; want 5 each", len(heldA), len(heldB))
	}
	if a.Instances() != 2 {
		t.Errorf("a counts %d instances, want 2 (it divides shared quotas by them)", a.Instances())
	}
	for n := range heldA {
		if heldB[n] {
			t.Errorf("%s is held by both instances", n)
		}
	}

	// a is killed: nothing renews its leases. Before they expire b waits.
	now = now.Add(LeaseTTL(interval) - time.Second)
	if got := claim(b); len(got) != 5 {
		t.Fatalf("b took a's leases before they expired: holds %d", len(got))
	}
	now = now.Add(2 * time.Second)
	if got := claim(b); len(got) != 10 || taken["b"] != 5 {
		t.Fatalf("after a's leases expired b holds %d (want 10), took over %d (want 5)", len(got), taken["b"])
	}

	// b stops: its leases are free at once, not taken over.
	b.release(ctx)
	a2 := instance("a")
	if got := claim(a2); len(got) != 10 || taken["a"] != 0 {
		t.Fatalf("after b stopped, a restarted holds %d (want 10) with %d takeovers (want 0)", len(got), taken["a"])
	}
}

// A calendar removed from the config loses its lease row, so it is
// neither held nor counted in anyone's share.
func TestLeaseRowsFollowTheConfig(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		testLeaseRowsFollowTheConfig(t, open(t, leaseSchema(t)))
	})
}

func testLeaseRowsFollowTheConfig(t *testing.T, d *sql.DB) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	l := &Leases{DB: d, Holder: "a", Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler)}
	if _, err := l.Claim(ctx, []Calendar{{Name: "ada"}, {Name: "grace"}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	held, err := l.Claim(ctx, []Calendar{{Name: "grace"}}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 1 || !held["grace"] {
		t.Errorf("after ada left the config a holds %v, want grace alone", held)
	}
	c, err := store.New(d).ClaimLeases(ctx, "b", now, now.Add(time.Minute), 5)
	if err != nil || len(c.Held) != 0 {
		t.Errorf("b claimed %v (%v), want nothing: grace is held, ada is gone", c.Held, err)
	}
}

// Instances claiming at the same moment never hold one calendar twice
// (on PostgreSQL they skip each other's locked rows).
func TestConcurrentClaimsAreDisjoint(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		d := open(t, leaseSchema(t))
		now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
		var cals []Calendar
		for i := range 30 {
			cals = append(cals, Calendar{Name: fmt.Sprintf("cal%02d", i)})
		}
		helds := make([]map[string]bool, 3)
		var wg gosync.WaitGroup
		for i := range helds {
			l := &Leases{DB: d, Holder: fmt.Sprintf("i%d", i), Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler)}
			wg.Go(func() {
				held, err := l.Claim(context.Background(), cals, 5*time.Minute)
				if err != nil {
					t.Error(err)
				}
				helds[i] = held
			})
		}
		wg.Wait()
		owner := map[string]int{}
		for i, held := range helds {
			for n := range held {
				if j, dup := owner[n]; dup {
					t.Errorf("%s held by instances %d and %d", n, j, i)
				}
				owner[n] = i
			}
		}
		if len(owner) == 0 {
			t.Error("no instance holds any calendar")
		}
	})
}

// A poll asked for by another instance (a push notification reached it)
// wakes the calendar's holder at its next renewal, once, and no one else.
func TestRequestedPollWakesTheHolder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		d := open(t, leaseSchema(t))
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
		woken := map[string]int{}
		instance := func(id string) *Leases {
			return &Leases{DB: d, Holder: id, Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler),
				Wake: func() { woken[id]++ }}
		}
		a, b := instance("a"), instance("b")
		if _, err := a.Claim(ctx, []Calendar{{Name: "grace"}}, time.Minute); err != nil {
			t.Fatal(err)
		}
		if !a.Holds("grace") || b.Holds("grace") {
			t.Fatalf("a holds grace: %v, b: %v", a.Holds("grace"), b.Holds("grace"))
		}
		if err := b.RequestPoll(ctx, "grace"); err != nil {
			t.Fatal(err)
		}
		for _, l := range []*Leases{b, a, a} {
			if err := l.Beat(ctx, time.Minute); err != nil {
				t.Fatal(err)
			}
		}
		if woken["a"] != 1 || woken["b"] != 0 {
			t.Errorf("woken %v, want a once", woken)
		}
	})
}
