package microsoft365

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/oneonone/oneonone/calendars/webapi"
)

// retryable says whether a failed request is tried again and after how
// long: 429, 503 and 504 (Graph's throttling and its transient faults,
// from Graph or the token endpoint)
// after their Retry-After when it is not too long, else with exponential
// backoff and jitter; other 5xx and broken connections with backoff.
// A refused secret is never retried; a 401 is retried once with a fresh
// token.
func (c *Client) retryable(err error, attempt int, reauthed *bool) (time.Duration, bool) {
	switch {
	case errors.Is(err, ErrCredentials), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return 0, false
	case isStatus(err, http.StatusUnauthorized) && !*reauthed:
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

func transient(err error) (http.Header, bool) {
	if ae := apiError(err); ae != nil {
		if ae.Status == http.StatusTooManyRequests || ae.Status >= 500 {
			return ae.Header, true
		}
		return nil, false
	}
	return webapi.Transient(err)
}
