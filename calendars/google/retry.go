package google

import (
	"context"
	"errors"
	"net/http"

	"github.com/oneonone/oneonone/calendars/webapi"
)

// do runs one API request: it takes its share of the request budget, and
// retries what Google asks clients to retry (403 rate limits, 429, 5xx,
// dropped connections) with capped exponential backoff and jitter,
// honouring Retry-After. A 401 is retried once with a fresh access token.
// A refused grant (ErrReconnect) is never retried.
func (c *Client) do(ctx context.Context, f func(ctx context.Context) error) error {
	r := c.opt.retry()
	r.Log = c.log
	err := r.Do(ctx, c.budget, c.account, webapi.Rules{
		Refused:      func(err error) bool { return errors.Is(err, ErrReconnect) },
		Unauthorized: func(err error) bool { return isStatus(err, http.StatusUnauthorized) },
		Reauth:       c.tokens.invalidate,
		Transient:    transient,
	}, f)
	var rc *ReconnectError
	if errors.As(err, &rc) {
		return rc // without the *url.Error around it: the owner reads this
	}
	return err
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
