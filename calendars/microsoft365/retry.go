package microsoft365

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

const maxBackoff = 32 * time.Second

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
	if d, ok := retryAfter(h, c.opt.Now()); ok {
		return d, d <= c.opt.MaxRetryAfter
	}
	d := maxBackoff
	if attempt <= 6 {
		d = min(maxBackoff, time.Second<<(attempt-1))
	}
	return d/2 + time.Duration(c.opt.Jitter()*float64(d/2)), true
}

func transient(err error) (http.Header, bool) {
	if ae := apiError(err); ae != nil {
		if ae.Status == http.StatusTooManyRequests || ae.Status >= 500 {
			return ae.Header, true
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

// retryAfter reads a Retry-After header: seconds or an HTTP date.
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
