package google

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/oneonone/oneonone/calendars/webapi"
)

// do runs one API request: it takes its share of the request budget, and
// retries what Google asks clients to retry (403 rate limits, 429, 5xx,
// dropped connections) with capped exponential backoff and jitter,
// honouring Retry-After. A 401 is retried once with a fresh access token.
// A refused grant (ErrReconnect) is never retried.
func (c *Client) do(ctx context.Context, f func(ctx context.Context) error) error {
	reauthed := false
	r := c.opt.retry()
	r.Log = c.log
	err := r.Do(ctx, c.budget, c.account, f, func(err error, attempt int) (time.Duration, bool) {
		return c.retryable(err, attempt, &reauthed)
	})
	var rc *ReconnectError
	if errors.As(err, &rc) {
		return rc // without the *url.Error around it: the owner reads this
	}
	return err
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
	return c.opt.retry().Wait(h, attempt)
}

// transient reports whether err is worth retrying, with the response
// header that may carry Retry-After: Google's 429, 5xx and rate-limit
// 403s, or what webapi.Transient retries.
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
	return webapi.Transient(err)
}
