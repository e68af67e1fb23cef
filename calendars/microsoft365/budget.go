package microsoft365

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Graph's Outlook limit is 10,000 requests per 10 minutes per app and
// mailbox; the app as a whole is kept well below the per-tenant limits.
const (
	AppPerMinute     = 10000
	MailboxPerMinute = 1000
)

// Budget paces the requests of every Microsoft 365 calendar of the
// process: one bucket for the app, one per mailbox. A request waits for
// its turn rather than being throttled.
type Budget struct {
	mu         sync.Mutex
	now        func() time.Time
	sleep      func(ctx context.Context, d time.Duration) error
	app        *bucket
	perMailbox int
	mailboxes  map[string]*bucket
}

// NewBudget returns a budget of appPerMinute requests for the app and
// mailboxPerMinute for each mailbox; nil now and sleepFn are the real
// clock.
func NewBudget(appPerMinute, mailboxPerMinute int, now func() time.Time, sleepFn func(context.Context, time.Duration) error) *Budget {
	if now == nil {
		now = time.Now
	}
	if sleepFn == nil {
		sleepFn = sleep
	}
	return &Budget{now: now, sleep: sleepFn, app: newBucket(appPerMinute, now()),
		perMailbox: mailboxPerMinute, mailboxes: map[string]*bucket{}}
}

var defaultBudget = sync.OnceValue(func() *Budget {
	return NewBudget(AppPerMinute, MailboxPerMinute, nil, nil)
})

// DefaultBudget is the process-wide budget.
func DefaultBudget() *Budget { return defaultBudget() }

// Take waits until one request for mailbox fits both buckets.
func (b *Budget) Take(ctx context.Context, mailbox string) error {
	b.mu.Lock()
	now := b.now()
	m := b.mailboxes[mailbox]
	if m == nil {
		m = newBucket(b.perMailbox, now)
		b.mailboxes[mailbox] = m
	}
	wait := max(b.app.reserve(now), m.reserve(now))
	b.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	if err := b.sleep(ctx, wait); err != nil {
		b.mu.Lock()
		b.app.tokens++
		m.tokens++
		b.mu.Unlock()
		return fmt.Errorf("microsoft365: waiting for the request budget: %w", err)
	}
	return nil
}

type bucket struct {
	rate   float64 // tokens per second
	burst  float64
	tokens float64 // negative while requests wait for their turn
	last   time.Time
}

func newBucket(perMinute int, now time.Time) *bucket {
	perMinute = max(perMinute, 1)
	burst := max(float64(perMinute)/10, 1)
	return &bucket{rate: float64(perMinute) / 60, burst: burst, tokens: burst, last: now}
}

// reserve takes a token and says how long to wait for it.
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
