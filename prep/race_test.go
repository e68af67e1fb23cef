package prep_test

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// holdingOutbox is one instance's outbox: right after its first enqueue,
// while the instance's transaction holds the rows it just made
// (uncommitted), it calls hold once.
type holdingOutbox struct {
	prep.Outbox
	once sync.Once
	hold func()
}

func (o *holdingOutbox) Enqueue(ctx context.Context, tx *sql.Tx, m mailer.Message) (int64, bool, error) {
	id, created, err := o.Outbox.Enqueue(ctx, tx, m)
	if err == nil {
		o.once.Do(o.hold)
	}
	return id, created, err
}

// instance runs one instance's tick with its own outbox over the shared
// database, and returns how many mails it enqueued.
type instance func(e *env, out prep.Outbox) (int, error)

func schedulerTick(at time.Time) instance {
	return func(e *env, out prep.Outbox) (int, error) {
		s := *e.sched
		s.Outbox, s.Notify = out, nil // the instances run at once: no shared counter
		sent, err := s.Tick(context.Background(), at)
		return sent.Invites + sent.Reminders, err
	}
}

func aroundTick(recs *records, at time.Time) instance {
	return func(e *env, out prep.Outbox) (int, error) {
		a := e.around(recs)
		a.Outbox, a.Notify = out, nil
		sent, err := a.Tick(context.Background(), at)
		return sent.FollowUps + sent.Nudges, err
	}
}

func agendaRun(at time.Time) instance {
	return func(e *env, out prep.Outbox) (int, error) {
		aw := e.agendaWorker(&writer{err: prep.ErrNotWritable})
		aw.Outbox, aw.Notify = out, nil
		d, err := aw.Tick(context.Background(), at)
		return d.Emailed, err
	}
}

// raceScenario is what two instances do at the same moment on one
// database, after setup (which one instance did earlier): both tick, or
// the first ticks and the second does other.
type raceScenario struct {
	name  string
	setup func(t *testing.T, e *env)
	tick  instance
	other instance
}

func (sc raceScenario) second() instance {
	if sc.other != nil {
		return sc.other
	}
	return sc.tick
}

func raceScenarios() []raceScenario {
	streak := prep.PairStreak{People: meeting(1).People, SeriesUID: "s1@example.com", Summary: "Ada / Grace weekly",
		Streak: 2, StreakStart: "2026-03-10T13:00:00Z", Held: 6, Missed: 2}
	put := func(ms ...prep.Meeting) func(*testing.T, *env) {
		return func(_ *testing.T, e *env) {
			for _, m := range ms {
				e.meetings.put(m)
			}
		}
	}
	return []raceScenario{
		{name: "invites", setup: put(meeting(1)), tick: schedulerTick(start.Add(-24 * time.Hour))},
		{name: "reminders", setup: func(t *testing.T, e *env) {
			put(meeting(1))(t, e)
			e.tick(start.Add(-24 * time.Hour))
		}, tick: schedulerTick(start.Add(-2 * time.Hour))},
		{name: "digest", setup: func(t *testing.T, e *env) {
			e.settings.DigestMin = 3
			e.rewire()
			put(adaDay()...)(t, e)
		}, tick: schedulerTick(start.Add(-24 * time.Hour))},
		{name: "follow-ups", setup: put(meeting(1)), tick: aroundTick(&records{}, meeting(1).End.Add(time.Hour))},
		{name: "nudges", tick: aroundTick(&records{recs: []prep.PairStreak{streak}}, t0)},
		{name: "agenda mails", setup: func(t *testing.T, e *env) {
			put(meeting(1))(t, e)
			e.tick(start.Add(-24 * time.Hour))
			at := start.Add(-20 * time.Hour)
			e.saveAt(at, e.token(meeting(1), ada), map[string]string{"topics": "roadmap"})
			e.saveAt(at, e.token(meeting(1), grace), map[string]string{"topics": "hiring"})
		}, tick: agendaRun(start.Add(-19 * time.Hour))},
		// The nudge and the invite make the same pair link: the invite
		// links the page of the one stored first.
		{name: "pair links", setup: put(meeting(1)), tick: aroundTick(&records{recs: []prep.PairStreak{streak}}, t0),
			other: schedulerTick(start.Add(-24 * time.Hour))},
	}
}

// Two instances on one database making the same requests, reminders,
// digests, follow-ups, nudges and pair links at the same moment leave
// what one instance alone leaves: one row and one mail of each, and
// neither returns an error. On PostgreSQL the second instance is let go
// while the first one's transaction holds the rows it made, and the
// test waits until the second is blocked on them: both decided to make
// the same rows, and the second finds them made when it goes on.
func TestRacingInstancesMakeEachRowOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		for _, sc := range raceScenarios() {
			t.Run(sc.name, func(t *testing.T) {
				alone := raceEnv(t, open, sc)
				n := 0
				for _, tick := range []instance{sc.tick, sc.other} {
					if tick == nil {
						continue
					}
					made, err := tick(alone, alone.outbox)
					if err != nil || made == 0 {
						t.Fatalf("one instance alone: %d mails, %v", made, err)
					}
					n += made
				}
				raced := raceEnv(t, open, sc)
				na, nb := race(t, raced, sc.tick, sc.second())
				if na+nb != n {
					t.Errorf("the instances say they enqueued %d+%d mails, one alone %d", na, nb, n)
				}
				if got, want := raced.keys(), alone.keys(); !slices.Equal(sorted(got), sorted(want)) {
					t.Errorf("mails of two instances:\n%v\nof one alone:\n%v", got, want)
				}
				for _, table := range []string{"prep_requests", "prep_followups", "prep_pair_links", "prep_agenda_writes", "mailer_outbox"} {
					q := "SELECT count(*) FROM " + table
					if got, want := raced.count(q), alone.count(q); got != want {
						t.Errorf("%s: %d rows after two instances, %d after one", table, got, want)
					}
				}
				raced.pairLinksOpen(t)
			})
		}
	})
}

func raceEnv(t *testing.T, open dbtest.Opener, sc raceScenario) *env {
	e := newEnvOn(t, open(t, mailerSchema, prepSchema))
	e.settings.Links = e.links // every mail links the pair page: pair links race too
	e.rewire()
	if sc.setup != nil {
		sc.setup(t, e)
	}
	return e
}

// race runs tick and other as two instances and returns how many mails
// each enqueued; it fails the test when either returns an error.
func race(t *testing.T, e *env, tick, other instance) (first, second int) {
	t.Helper()
	errc := make(chan error, 1)
	started := false
	out := &holdingOutbox{Outbox: e.outbox, hold: func() {
		started = true
		go func() {
			var err error
			second, err = other(e, mailstore.NewOutbox(e.db, e.clock.Now))
			errc <- err
		}()
		waitBlocked(t, e.db)
	}}
	first, err := tick(e, out)
	if err != nil {
		t.Errorf("first instance: %v", err)
	}
	if !started {
		t.Fatal("the first instance enqueued nothing: no race")
	}
	if err := <-errc; err != nil {
		t.Errorf("second instance: %v", err)
	}
	return first, second
}

// waitBlocked waits until a session of h's PostgreSQL database waits for
// a lock. SQLite has one writer at a time: there the second instance
// waits for the first one's commit when it begins, and sees its rows.
func waitBlocked(t *testing.T, h *sql.DB) {
	t.Helper()
	if db.DialectOf(h) != db.PostgreSQL {
		return
	}
	for range 2000 {
		var n int
		err := h.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if err != nil {
			t.Fatalf("sessions waiting: %v", err)
		}
		if n > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the second instance never waited for the first one's rows")
}

// pairLinksOpen checks that every pair link mailed opens its page.
func (e *env) pairLinksOpen(t *testing.T) {
	t.Helper()
	for _, m := range e.mails() {
		for _, sm := range pairLinkRe.FindAllStringSubmatch(m.Text, -1) {
			if _, err := e.pairPages().OpenPair(context.Background(), sm[1]); err != nil {
				t.Errorf("the pair link of %s: %v", m.DedupKey, err)
			}
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
