package microsoft365

import (
	"errors"
	"net/http"

	"github.com/oneonone/oneonone/calendars/webapi"
)

// rules are Graph's: a refused secret is never retried; a 401 is retried
// once with a fresh token; 429, 503 and 504 (Graph's throttling and its
// transient faults, from Graph or the token endpoint) after their
// Retry-After when it is not too long, else with exponential backoff and
// jitter; other 5xx and broken connections with backoff.
func (c *Client) rules() webapi.Rules {
	return webapi.Rules{
		Refused:      func(err error) bool { return errors.Is(err, ErrCredentials) },
		Unauthorized: func(err error) bool { return isStatus(err, http.StatusUnauthorized) },
		Reauth:       c.tokens.invalidate,
		Transient:    transient,
	}
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
