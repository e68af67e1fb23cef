package webapi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

// MaxBackoff caps the exponential backoff between retries.
const MaxBackoff = 32 * time.Second

// Wait says how long to wait before retrying attempt (1 for the first
// try) of a request whose failed answer carried h: its Retry-After when
// there is one, if not longer than maxRetryAfter (else no retry), or
// else Backoff.
func Wait(h http.Header, attempt int, now time.Time, maxRetryAfter time.Duration, jitter float64) (time.Duration, bool) {
	if d, ok := RetryAfter(h, now); ok {
		return d, d <= maxRetryAfter
	}
	return Backoff(attempt, jitter), true
}

// Backoff is 2^(attempt-1) seconds, capped at MaxBackoff, of which the
// upper half is jitter (in [0, 1)) so that many clients do not retry in
// step.
func Backoff(attempt int, jitter float64) time.Duration {
	d := MaxBackoff
	if attempt <= 6 {
		d = min(MaxBackoff, time.Second<<(attempt-1))
	}
	return d/2 + time.Duration(jitter*float64(d/2))
}

// RetryAfter reads a Retry-After header: seconds, or an HTTP date.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// Transient reports whether err, which is not the API's own error
// answer, is worth retrying: a token endpoint's 429 or 5xx (with its
// headers, which may carry Retry-After), a dropped connection or a
// timeout.
func Transient(err error) (http.Header, bool) {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil && (re.Response.StatusCode == http.StatusTooManyRequests || re.Response.StatusCode >= 500) {
			return re.Response.Header, true
		}
		return nil, false
	}
	var op *net.OpError
	var ue *url.Error
	switch {
	case errors.As(err, &op), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return nil, true
	case errors.As(err, &ue) && ue.Timeout():
		return nil, true
	}
	return nil, false
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
