package sync

import (
	"context"
	"database/sql"
	"log/slog"
	"slices"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/oneonone/oneonone/sync/store"
)

// leaseStore is what dividing calendars between instances needs of the
// store (store.Store).
type leaseStore interface {
	Heartbeat(ctx context.Context, holder string, now, until time.Time) (int, bool, error)
	RequestPoll(ctx context.Context, calendar string, now time.Time) error
	SetLeases(ctx context.Context, names []string) error
	ClaimLeases(ctx context.Context, holder string, now, until time.Time, share int) (store.Claimed, error)
	ReleaseLeases(ctx context.Context, holder string) error
}

// Leases divides the calendars between the instances that share one
// database, so that each calendar is polled by one of them at a time and
// an idle calendar costs one request per interval however many run. Each
// instance takes its share (the calendars divided by the instances
// alive) of the free leases and of those whose holder stopped renewing;
// one that holds more than its share when another instance comes hands
// the excess back. A lease lasts half an interval and is renewed every
// sixth of one, so the calendars of an instance killed without a word
// are taken over at the others' next pass, within two intervals; a
// stopping instance hands its leases back at once.
type Leases struct {
	DB     *sql.DB
	Holder string // this instance's id, the same across its restarts
	Now    func() time.Time
	Log    *slog.Logger
	// Observe is told after each claim how many calendars this instance
	// holds and how many it took over from an instance gone silent (for
	// metrics); may be nil.
	Observe func(held, takenOver int)
	// Wake is called when another instance asked for a poll of a
	// calendar this one holds (a push notification reached it); may be nil.
	Wake func()

	names []string // the calendars whose lease rows were last set

	mu   gosync.Mutex
	held map[string]bool // after the last claim

	alive atomic.Int64 // instances running at the last renewal
}

// Instances is how many instances ran at the last renewal (at least
// one), for dividing what they share, such as a provider's quotas.
func (l *Leases) Instances() int { return max(int(l.alive.Load()), 1) }

// Holds reports whether this instance syncs calendar now. A nil Leases
// (one instance alone) holds every calendar.
func (l *Leases) Holds(calendar string) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held[calendar]
}

// RequestPoll asks the instance holding calendar to poll it now.
func (l *Leases) RequestPoll(ctx context.Context, calendar string) error {
	return l.store().RequestPoll(ctx, calendar, l.Now())
}

// LeaseTTL is how long a lease lasts without renewal, for an interval.
func LeaseTTL(interval time.Duration) time.Duration { return interval / 2 }

func (l *Leases) store() leaseStore { return store.New(l.DB) }

// heartbeat renews this instance and its leases; it returns how many
// instances are alive.
func (l *Leases) heartbeat(ctx context.Context, interval time.Duration) (int, error) {
	now := l.Now()
	alive, wake, err := l.store().Heartbeat(ctx, l.Holder, now, now.Add(LeaseTTL(interval)))
	if err == nil {
		l.alive.Store(int64(alive))
	}
	if wake && l.Wake != nil {
		l.Wake()
	}
	return alive, err
}

// Beat renews this instance and its leases now, as its renewal loop does.
func (l *Leases) Beat(ctx context.Context, interval time.Duration) error {
	_, err := l.heartbeat(ctx, interval)
	return err
}

// Claim renews what this instance holds, takes or hands back leases to
// hold its share of cals, and returns the names it holds.
func (l *Leases) Claim(ctx context.Context, cals []Calendar, interval time.Duration) (map[string]bool, error) {
	names := make([]string, 0, len(cals))
	for _, c := range cals {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, l.names) {
		if err := l.store().SetLeases(ctx, names); err != nil {
			return nil, err
		}
		l.names = names
	}
	alive, err := l.heartbeat(ctx, interval)
	if err != nil {
		return nil, err
	}
	share := (len(names) + max(alive, 1) - 1) / max(alive, 1)
	now := l.Now()
	c, err := l.store().ClaimLeases(ctx, l.Holder, now, now.Add(LeaseTTL(interval)), share)
	if err != nil {
		return nil, err
	}
	if c.TakenOver > 0 || c.Released > 0 {
		l.Log.Info("calendar leases", "instance", l.Holder, "held", len(c.Held), "taken_over", c.TakenOver,
			"handed_back", c.Released, "instances", alive)
	}
	if l.Observe != nil {
		l.Observe(len(c.Held), c.TakenOver)
	}
	held := make(map[string]bool, len(c.Held))
	for _, n := range c.Held {
		held[n] = true
	}
	l.mu.Lock()
	l.held = held
	l.mu.Unlock()
	return held, nil
}

// release hands every lease back; the instance is stopping.
func (l *Leases) release(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	l.mu.Lock()
	l.held = nil
	l.mu.Unlock()
	if err := l.store().ReleaseLeases(ctx, l.Holder); err != nil {
		l.Log.Warn("handing calendar leases back; the others take them when they expire", "instance", l.Holder, "err", err)
		return
	}
	if l.Observe != nil {
		l.Observe(0, 0)
	}
	l.Log.Info("calendar leases handed back", "instance", l.Holder)
}

// keep renews this instance's leases every sixth of an interval until
// ctx ends.
func (l *Leases) keep(ctx context.Context, interval func() time.Duration) {
	var lastErr string
	for {
		t := time.NewTimer(max(interval()/6, time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		_, err := l.heartbeat(ctx, interval())
		switch {
		case err == nil:
			lastErr = ""
		case ctx.Err() == nil && err.Error() != lastErr:
			l.Log.Warn("renewing calendar leases", "instance", l.Holder, "err", err)
			lastErr = err.Error()
		}
	}
}
