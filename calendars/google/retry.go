package google

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

// maxBackoff caps the exponential backoff between retries.
const maxBackoff = 32 * time.Second

// do runs one API request: it takes its share of the request budget, and
// retries what Google asks clients to retry (403 rate limits, 429, 5xx,
// dropped connections) with capped exponential backoff and jitter,
// honouring Retry-After. A 401 is retried once with a fresh access token.
// A refused grant (ErrReconnect) is never retried.
func (c *Client) do(ctx context.Context, f func(ctx context.Context) error) error {
	reauthed := false
	for attempt := 1; ; attempt++ {
		if err := c.budget.Take(ctx, c.account); err != nil {
			return err
		}
		err := f(ctx)
		if err == nil {
			return nil
		}
		var rc *ReconnectError
		if errors.As(err, &rc) {
			return rc // without the *url.Error around it: the owner reads this
		}
		wait, retry := c.retryable(err, attempt, &reauthed)
		if !retry || attempt >= c.opt.MaxAttempts || ctx.Err() != nil {
			return err
		}
		c.log.Debug("google: retrying", "attempt", attempt, "wait", wait, "err", err)
		if wait == 0 {
			continue
		}
		if serr := c.opt.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (gave up waiting to retry: %w)", err, serr)
		}
	}
}

func (c *Client) retryable(err error, attempt int, reauthed *bool) (time.Duration, bool) {
	switch {
	case errors.Is(err, ErrReconnect), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return 0, false
	case isStatus(err, http.StatusUnauthorized) && !*reauthed:
		// The access token was revoked before its expiry: fetching a new
		// one either works or says the grant is gone.
		*reauthed = true
		c.tokens.invalidate()
		return 0, true
	}
	h, ok := transient(err)
	if !ok {
		return 0, false
	}
	if d, ok := retryAfter(h, c.opt.Now()); ok {
		return d, d <= c.opt.MaxRetryAfter
	}
	return c.backoff(attempt), true
}

// backoff is 2^(attempt-1) seconds, capped, of which the upper half is
// random so that many clients do not retry in step.
func (c *Client) backoff(attempt int) time.Duration {
	d := maxBackoff
	if attempt <= 6 {
		d = min(maxBackoff, time.Second<<(attempt-1))
	}
	return d/2 + time.Duration(c.opt.Jitter()*float64(d/2))
}

// transient reports whether err is worth retrying, with the response
// header that may carry Retry-After.
func transient(err error) (http.Header, bool) {
	if ge := apiError(err); ge != nil {
		switch {
		case ge.Code == http.StatusTooManyRequests || ge.Code >= 500:
			return ge.Header, true
		case hasReason(err, http.StatusForbidden, "rateLimitExceeded", "userRateLimitExceeded"):
			return ge.Header, true
		}
		return nil, false
	}
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

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
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
