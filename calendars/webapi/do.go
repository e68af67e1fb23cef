package webapi

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

// Retry is how an adapter retries one request. The zero value of each
// field is its default (WithDefaults).
type Retry struct {
	Name string // the adapter, in log lines
	// MaxAttempts bounds the tries of one request, retries included
	// (default 6). The context bounds them too.
	MaxAttempts int
	// MaxRetryAfter is the longest Retry-After honoured by waiting
	// (default 2 minutes).
	MaxRetryAfter time.Duration
	// Now, Sleep and Jitter are the clock, the wait between retries and
	// the source of randomness in [0, 1).
	Now    func() time.Time
	Sleep  func(ctx context.Context, d time.Duration) error
	Jitter func() float64
	Log    *slog.Logger
}

// WithDefaults fills the zero fields.
func (r Retry) WithDefaults() Retry {
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = 6
	}
	if r.MaxRetryAfter <= 0 {
		r.MaxRetryAfter = 2 * time.Minute
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Sleep == nil {
		r.Sleep = Sleep
	}
	if r.Jitter == nil {
		r.Jitter = rand.Float64
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	return r
}

// Wait is the package's Wait on r's clock, jitter and longest
// Retry-After.
func (r Retry) Wait(h http.Header, attempt int) (time.Duration, bool) {
	return Wait(h, attempt, r.Now(), r.MaxRetryAfter, r.Jitter())
}

// Do runs try, each time after taking a turn of user's budget, until it
// succeeds, retryable says its error is not worth another try (or
// retryable's wait: 0 is at once), MaxAttempts are spent or ctx is done.
// It returns try's last error.
func (r Retry) Do(ctx context.Context, b *Budget, user string, try func(context.Context) error,
	retryable func(err error, attempt int) (time.Duration, bool)) error {
	r = r.WithDefaults()
	for attempt := 1; ; attempt++ {
		if err := b.Take(ctx, user); err != nil {
			return err
		}
		err := try(ctx)
		if err == nil {
			return nil
		}
		wait, retry := retryable(err, attempt)
		if !retry || attempt >= r.MaxAttempts || ctx.Err() != nil {
			return err
		}
		r.Log.Debug(r.Name+": retrying", "attempt", attempt, "wait", wait, "err", err)
		if wait == 0 {
			continue
		}
		if serr := r.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (gave up waiting to retry: %w)", err, serr)
		}
	}
}
