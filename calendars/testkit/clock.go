package testkit

import (
	"context"
	"sync"
	"time"
)

// Clock is a fake clock that tests set and move; it is safe for
// concurrent use. Its Now and Sleep methods are handed to
// the code under test in place of the real clock.
type Clock struct {
	mu    sync.Mutex
	t     time.Time
	step  time.Duration
	slept []time.Duration
}

// NewClock returns a clock that stands at t until it is moved.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// NewTickingClock returns a clock at t that moves on by step each time
// it is read, so that every write stamped with it is later than the last.
func NewTickingClock(t time.Time, step time.Duration) *Clock {
	return &Clock{t: t, step: step}
}

// Now returns the clock's time (after moving it on by its step).
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Sleep records the wait and moves the clock on by d instead of waiting;
// it returns ctx's error, as a sleep that ctx cut short would.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// Slept returns the waits Sleep was asked for, in order.
func (c *Clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}
