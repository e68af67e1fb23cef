package mailer

import (
	"math"
	"time"
)

// Backoff is the retry policy of the Worker.
type Backoff struct {
	Base        time.Duration // wait after the first failed attempt; default 30 s
	Max         time.Duration // cap on one wait; default 1 h
	MaxAttempts int           // give up after this many attempts; default 100
	MaxAge      time.Duration // give up on a message this old; default 72 h
}

// DefaultBackoff retries for about three days: 30 s, 1 m, 2 m, … up to an
// hour between attempts.
var DefaultBackoff = Backoff{Base: 30 * time.Second, Max: time.Hour, MaxAttempts: 100, MaxAge: 72 * time.Hour}

func (b Backoff) withDefaults() Backoff {
	d := DefaultBackoff
	if b.Base > 0 {
		d.Base = b.Base
	}
	if b.Max > 0 {
		d.Max = b.Max
	}
	if b.MaxAttempts > 0 {
		d.MaxAttempts = b.MaxAttempts
	}
	if b.MaxAge > 0 {
		d.MaxAge = b.MaxAge
	}
	return d
}

// Delay is the wait after the given number of failed attempts (1 for the
// first), with "equal jitter": half the exponential step is fixed, the other
// half scaled by r in [0, 1). The fixed half keeps retries from bunching at
// zero; the random half spreads messages that failed together.
func (b Backoff) Delay(attempts int, r float64) time.Duration {
	b = b.withDefaults()
	if attempts < 1 {
		attempts = 1
	}
	step := float64(b.Base) * math.Pow(2, float64(attempts-1))
	if step > float64(b.Max) || math.IsInf(step, 0) {
		step = float64(b.Max)
	}
	r = min(max(r, 0), 1)
	return time.Duration(step/2 + step/2*r)
}

// GiveUp reports whether a message created at created, having failed
// attempts times, should fail for good instead of waiting again.
func (b Backoff) GiveUp(attempts int, created, now time.Time) bool {
	b = b.withDefaults()
	return attempts >= b.MaxAttempts || now.Sub(created) >= b.MaxAge
}
