package webapi

import (
	"context"
	"errors"
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

// Rules are what an adapter knows of its API's failures.
type Rules struct {
	// Refused: never retried (a refused grant or secret).
	Refused func(error) bool
	// Unauthorized: the access token was refused (a 401); retried once,
	// after Reauth drops the token, since a new one either works or says
	// the grant is gone.
	Unauthorized func(error) bool
	Reauth       func()
	// Transient: worth retrying, with the header that may carry
	// Retry-After (the API's 429 and 5xx, then the package's Transient).
	Transient func(error) (http.Header, bool)
}

// Do runs try, each time after taking a turn of user's budget, until it
// succeeds, fails in a way the rules do not retry, MaxAttempts are spent
// or ctx is done, waiting between tries as Wait says. It returns try's
// last error.
func (r Retry) Do(ctx context.Context, b *Budget, user string, rules Rules, try func(context.Context) error) error {
	r = r.WithDefaults()
	reauthed := false
	for attempt := 1; ; attempt++ {
		if err := b.Take(ctx, user); err != nil {
			return err
		}
		err := try(ctx)
		if err == nil {
			return nil
		}
		wait, retry := r.retryable(rules, err, attempt, &reauthed)
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

// retryable says whether err is tried again and after how long (0: at
// once).
func (r Retry) retryable(rules Rules, err error, attempt int, reauthed *bool) (time.Duration, bool) {
	switch {
	case rules.Refused(err), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return 0, false
	case rules.Unauthorized(err) && !*reauthed:
		*reauthed = true
		rules.Reauth()
		return 0, true
	}
	h, ok := rules.Transient(err)
	if !ok {
		return 0, false
	}
	return r.Wait(h, attempt)
}
