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
func (c *Client) retryable(err error, attempt int) (time.Duration, bool) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	h, ok := transient(err)
	if !ok {
		return 0, false
	}
	return webapi.Wait(h, attempt, c.opt.Now(), c.opt.MaxRetryAfter, c.opt.Jitter())
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
