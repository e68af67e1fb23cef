package sync

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"slices"
	gosync "sync"
	"time"
)

// Configured is one calendar of the configuration as the scheduler sees
// it: SetUp (discovery, login, the client) gives the calendars to sync,
// several for a CalDAV server URL. Source and Owner name it while its
// set-up fails.
type Configured struct {
	Name, Kind, Source, Owner string
	SetUp                     func(ctx context.Context) ([]Calendar, error)
}

// Scheduler is the daemon's sync loop. It syncs every calendar, up to
// Concurrency at the same time, then waits the interval with ±10 % jitter
// so that many daemons do not poll a server in step. The interval counts
// from the start of a pass, so a server that hangs (for at most the
// client's per-request timeout) holds one calendar's slot and delays no
// other calendar's next poll. A calendar that fails, at set-up or at sync, is retried
// with exponential backoff (capped at an hour) and reported once per
// change of error; the others go on as usual, on their interval. A
// calendar whose set-up failed is never silently left out: it is retried
// the same way and is unhealthy meanwhile.
type Scheduler struct {
	Engine    func() *Engine       // the engine with the config in force
	Calendars func() []Configured  // the enabled calendars of the config in force
	Interval  func() time.Duration // the poll interval in force
	// Concurrency is how many calendars are synced at the same time (the
	// config's [sync] concurrency); nil is one at a time.
	Concurrency func() int
	Now         func() time.Time      //
	Jitter      func() float64        // in [0, 1); nil is math/rand
	Log         *slog.Logger          //
	Wake        <-chan struct{}       // a push, a reload, a new grant: poll every calendar now
	Rediscover  func() bool           // reports (and clears) a request to set the calendars up again
	Observe     func(Summary)         // every sync and failed set-up (metrics); may be nil
	Failing     func(Summary, string) // the first failure of an episode, with the owner; may be nil
	SetUp       func([]Calendar)      // the calendars set up changed; may be nil
	Synced      func()                // a pass ended; may be nil
	Cycle       func(time.Duration)   // how long each full pass took (metrics); may be nil
	// Leases, when set, divides the calendars with the other instances
	// sharing the database: this one syncs only those it holds. Nil syncs
	// every calendar (one instance, sync --once).
	Leases *Leases

	mu      gosync.Mutex
	current []Calendar // the calendars set up last
}

// Current is the calendars set up last: their writers write the agendas
// (AgendaWriters.Calendars), their feeds are watched for pushes.
func (s *Scheduler) Current() []Calendar {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.current)
}

// retry is a failing calendar's backoff.
type retry struct {
	failures int
	next     time.Time
	lastErr  string
}

// calendarSet is what the loop works on: the calendars set up, and the
// configured ones whose set-up failed (the server was down at start, a
// login was refused).
type calendarSet struct {
	cals    []Calendar
	pending []Configured
}

// Run syncs until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	var set *calendarSet
	backoff := map[string]*retry{}
	var nextFull time.Time // when every healthy calendar is polled again
	var held map[string]bool
	if s.Leases != nil {
		go s.Leases.keep(ctx, s.Interval)
		defer s.Leases.release(ctx)
	}
	for ctx.Err() == nil {
		if set == nil || (s.Rediscover != nil && s.Rediscover()) {
			set = s.setUpAll(ctx, backoff)
			nextFull = time.Time{}
		} else {
			s.retrySetUps(ctx, set, backoff)
		}
		interval := s.Interval()
		now := s.Now()
		full := !now.Before(nextFull)
		if full {
			held = s.claim(ctx, set.cals, interval, held)
		}
		todo := s.dueNow(set.cals, backoff, held, now, full)
		s.syncDue(ctx, todo, set.cals, s.concurrency(), func(c Calendar, sum Summary) {
			backoff[c.Name] = s.noteResult(backoff[c.Name], sum, interval, c.Owner)
		})
		if s.Synced != nil {
			s.Synced()
		}
		if full {
			if s.Cycle != nil {
				s.Cycle(s.Now().Sub(now))
			}
			nextFull = now.Add(interval + time.Duration((s.jitter()*0.2-0.1)*float64(interval)))
		}
		select {
		case <-ctx.Done():
		case <-time.After(nextWake(s.Now(), nextFull, backoff)):
		case <-s.Wake:
			nextFull = time.Time{}
		}
	}
	return nil
}

// dueNow is what this pass syncs: of the calendars this instance holds
// (all without leases), the failing ones whose backoff passed, and on a
// full pass the healthy ones.
func (s *Scheduler) dueNow(cals []Calendar, backoff map[string]*retry, held map[string]bool, now time.Time, full bool) []Calendar {
	var todo []Calendar
	for _, c := range cals {
		if s.Leases != nil && !held[c.Name] {
			delete(backoff, c.Name) // another instance syncs it
			continue
		}
		if due(backoff[c.Name], now, full) {
			todo = append(todo, c)
		}
	}
	return todo
}

// claim takes this instance's share of the calendars' leases; while the
// database cannot be reached it keeps to the ones it held.
func (s *Scheduler) claim(ctx context.Context, cals []Calendar, interval time.Duration, held map[string]bool) map[string]bool {
	if s.Leases == nil {
		return nil
	}
	now, err := s.Leases.Claim(ctx, cals, interval)
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Warn("claiming calendar leases; syncing the ones held", "err", err)
		}
		return held
	}
	return now
}

func (s *Scheduler) jitter() float64 {
	if s.Jitter == nil {
		return rand.Float64()
	}
	return s.Jitter()
}

// due reports whether a calendar is synced in this pass: a failing one
// once its backoff has passed, a healthy one on a full pass.
func due(b *retry, now time.Time, full bool) bool {
	if b != nil {
		return !now.Before(b.next)
	}
	return full
}

// nextWake is how long to wait for the next full poll or the first retry
// that comes due before it.
func nextWake(now, nextFull time.Time, backoff map[string]*retry) time.Duration {
	at := nextFull
	for _, b := range backoff {
		if b != nil && b.next.After(now) && b.next.Before(at) {
			at = b.next
		}
	}
	return max(at.Sub(now), time.Second)
}

// noteResult keeps a calendar's backoff after a sync or a set-up: none
// when it worked, else the next attempt after interval doubled per
// failure in a row, at most an hour.
func (s *Scheduler) noteResult(b *retry, sum Summary, interval time.Duration, owner string) *retry {
	if s.Observe != nil {
		s.Observe(sum)
	}
	if sum.Err == nil {
		if b != nil {
			s.Log.Info("calendar healthy again", "calendar", sum.Calendar)
		}
		return nil
	}
	if b == nil {
		b = &retry{}
	}
	b.failures++
	if b.failures == 1 && s.Failing != nil {
		s.Failing(sum, owner)
	}
	wait := min(interval<<min(b.failures-1, 10), time.Hour)
	b.next = s.Now().Add(wait)
	if msg := sum.Err.Error(); msg != b.lastErr {
		s.Log.Warn("calendar sync failed", "calendar", sum.Calendar, "err", msg, "retry_in", wait.String())
		b.lastErr = msg
	}
	return b
}
