package google

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Google's default Calendar API quotas.
const (
	ProjectPerMinute = 10000
	UserPerMinute    = 600
)

// Budget spreads requests so that all Google calendars of the process
// stay inside the project's and each user's per-minute quotas: a token
// bucket for the project and one per user, each refilled at its rate and
// holding a tenth of a minute's worth for bursts. A request that would
// exceed either waits (bounded by its context).
type Budget struct {
	mu      sync.Mutex
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	project *bucket
	perUser int
	users   map[string]*bucket
	share   func() int // instances sharing the quotas; nil is one
	parts   int        // the share the buckets are sized for
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
	b.project.divide(n)
	for _, u := range b.users {
		u.divide(n)
	}
}

// NewBudget allows projectPerMinute requests a minute in all, and
// userPerMinute for each user. now and sleep may be nil for the real ones.
func NewBudget(projectPerMinute, userPerMinute int, now func() time.Time, sleepFn func(context.Context, time.Duration) error) *Budget {
	if now == nil {
		now = time.Now
	}
	if sleepFn == nil {
		sleepFn = sleep
	}
	return &Budget{now: now, sleep: sleepFn, project: newBucket(projectPerMinute, now()),
		perUser: userPerMinute, users: map[string]*bucket{}}
}

var defaultBudget = sync.OnceValue(func() *Budget {
	return NewBudget(ProjectPerMinute, UserPerMinute, nil, nil)
})

// DefaultBudget is the process-wide budget with Google's default quotas,
// used by clients whose Options name none.
func DefaultBudget() *Budget { return defaultBudget() }

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
	wait := max(b.project.reserve(now), u.reserve(now))
	b.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	if err := b.sleep(ctx, wait); err != nil {
		b.mu.Lock()
		b.project.tokens++
		u.tokens++
		b.mu.Unlock()
		return fmt.Errorf("google: waiting for the request budget: %w", err)
	}
	return nil
}

type bucket struct {
	full   float64 // tokens per second of the whole quota
	rate   float64 // tokens per second
	burst  float64
	tokens float64 // negative while requests wait for their turn
	last   time.Time
}

func newBucket(perMinute int, now time.Time) *bucket {
	perMinute = max(perMinute, 1)
	burst := max(float64(perMinute)/10, 1)
	return &bucket{full: float64(perMinute) / 60, rate: float64(perMinute) / 60, burst: burst, tokens: burst, last: now}
}

// divide sizes the bucket for one part in n of its quota.
func (k *bucket) divide(n int) {
	k.rate = k.full / float64(n)
	k.burst = max(k.full*6/float64(n), 1) // a tenth of a minute's worth
	k.tokens = min(k.tokens, k.burst)
}

// reserve takes a token and says how long to wait until it is really
// there.
func (k *bucket) reserve(now time.Time) time.Duration {
	if now.After(k.last) {
		k.tokens = min(k.burst, k.tokens+now.Sub(k.last).Seconds()*k.rate)
		k.last = now
	}
	k.tokens--
	if k.tokens >= 0 {
		return 0
	}
	return time.Duration(-k.tokens / k.rate * float64(time.Second))
}
