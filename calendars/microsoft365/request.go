package microsoft365

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// request is one Graph call.
type request struct {
	method string
	url    string // absolute (a nextLink) or relative to the base URL
	prefer []string
	match  string // If-Match
	body   any    // sent as JSON when not nil
}

// preferRead are the Prefer headers of every read: times in UTC (the
// zone scheduled in is kept in originalStartTimeZone) and bodies as HTML.
var preferRead = []string{`outlook.timezone="UTC"`, `outlook.body-content-type="html"`}

// do sends r, retrying what Graph says is worth retrying, and decodes a
// 2xx answer's JSON into out (nil: the body is dropped).
func (c *Client) do(ctx context.Context, r request, out any) error {
	p := c.opt.retry()
	p.Log = c.log
	return p.Do(ctx, c.opt.Budget, c.cfg.User, c.rules(), func(ctx context.Context) error { return c.send(ctx, r, out) })
}

func (c *Client) send(ctx context.Context, r request, out any) error {
	req, err := c.newRequest(ctx, r)
	if err != nil {
		return err
	}
	tok, err := c.tokens.token(ctx)
	if err != nil {
		return err
	}
	tok.SetAuthHeader(req)
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiErrorFrom(resp)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("read %s answer: %w", r.method, err)
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, r request) (*http.Request, error) {
	u := r.url
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		u = c.base + strings.TrimPrefix(u, "/")
	} else if !strings.HasPrefix(u, c.origin()) {
		// Links come from the answers; they must not send our token elsewhere.
		return nil, fmt.Errorf("link %q leaves the endpoint %s", u, c.base)
	}
	var body io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if len(r.prefer) > 0 {
		req.Header.Set("Prefer", strings.Join(r.prefer, ", "))
	}
	if r.match != "" {
		req.Header.Set("If-Match", r.match)
	}
	return req, nil
}

// origin is the scheme and host of the base URL.
func (c *Client) origin() string {
	u, err := url.Parse(c.base)
	if err != nil {
		return c.base
	}
	return u.Scheme + "://" + u.Host + "/"
}

// userPath is "users/{user}/" with the user escaped.
func (c *Client) userPath(user string) string {
	return "users/" + url.PathEscape(user) + "/"
}
