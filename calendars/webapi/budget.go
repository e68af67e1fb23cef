package webapi

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Budget spreads the requests of every calendar of one adapter in the
// process so that they stay inside the API's per-minute quotas: a token
// bucket for the app (or project) and one per user (or mailbox), each
// refilled at its rate and holding a tenth of a minute's worth for
// bursts. A request that would exceed either waits (bounded by its
// context).
type Budget struct {
	mu      sync.Mutex
	name    string
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	app     *bucket
	perUser int
	users   map[string]*bucket
	share   func() int // instances sharing the quotas; nil is one
	parts   int        // the share the buckets are sized for
}

// NewBudget allows appPerMinute requests a minute in all, and
// userPerMinute for each user; name (the adapter) starts its errors.
// now and sleep may be nil for the real ones.
func NewBudget(name string, appPerMinute, userPerMinute int, now func() time.Time, sleep func(context.Context, time.Duration) error) *Budget {
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = Sleep
	}
	return &Budget{name: name, now: now, sleep: sleep, app: newBucket(appPerMinute, now()),
		perUser: userPerMinute, users: map[string]*bucket{}}
}

// ShareWith divides the quotas between the instances that share them:
// instances reports how many run now (they count one another through the
// database), and each keeps to its part of both quotas, so that together
// they stay inside them.
func (b *Budget) ShareWith(instances func() int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.share = instances
}

// resize makes the buckets' rates the quotas divided by the instances
// running now; tokens beyond a smaller burst are dropped.
func (b *Budget) resize() {
	n := 1
	if b.share != nil {
		n = max(b.share(), 1)
	}
	if n == max(b.parts, 1) {
		return
	}
	b.parts = n
	b.app.divide(n)
	for _, u := range b.users {
		u.divide(n)
	}
}

// Take waits until one request of user fits the budget.
func (b *Budget) Take(ctx context.Context, user string) error {
	b.mu.Lock()
	b.resize()
	now := b.now()
	u := b.users[user]
	if u == nil {
		u = newBucket(b.perUser, now)
		u.divide(max(b.parts, 1))
		b.users[user] = u
	}
	wait := max(b.app.reserve(now), u.reserve(now))
	b.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	if err := b.sleep(ctx, wait); err != nil {
		b.mu.Lock()
		b.app.tokens++
		u.tokens++
		b.mu.Unlock()
		return fmt.Errorf("%s: waiting for the request budget: %w", b.name, err)
	}
	return nil
}
