// Package caldav is the HTTP side of the CalDAV adapter: discovery of a user's
// calendars, an incremental change feed per collection (RFC 6578
// sync-collection, else getctag + an ETag listing), multiget of changed
// objects, and conditional writes. It returns raw calendar objects (href,
// ETag, iCalendar bytes); turning them into the model is done elsewhere.
//
// The requests are written here rather than through go-webdav: that client
// has no sync-collection, fails a whole multiget on one missing href, rejects
// weak and unquoted ETags and drops a calendar home on another host.
package caldav

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Options configure a Client.
type Options struct {
	Username, Password string
	HTTPClient         *http.Client // nil = a client with sane timeouts
	UserAgent          string
	BatchSize          int // multiget batch, default 100
	// MaxResponseBytes bounds what one response may make us hold in
	// memory; default 256 MiB. A multiget over it is split, and an object
	// over it on its own is skipped (Changes.Skipped), so that one object
	// never stops its calendar.
	MaxResponseBytes int
}

// Client talks to one CalDAV server (and any host its discovery points to).
// It is safe for concurrent use.
type Client struct {
	base *url.URL
	opt  Options
	http *http.Client
	sent atomic.Int64 // every request, for Requests
}

const (
	defaultBatchSize = 100
	maxRedirects     = 10
	defaultMaxBody   = 256 << 20
)

// New returns a client for a server root, principal, home or collection URL.
func New(serverOrCollectionURL string, opt Options) (*Client, error) {
	u, err := url.Parse(serverOrCollectionURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("caldav: %q is not an http(s) URL", Redact(serverOrCollectionURL))
	}
	if u.User != nil && opt.Username == "" {
		opt.Username = u.User.Username()
		opt.Password, _ = u.User.Password()
	}
	u.User = nil
	if opt.BatchSize <= 0 {
		opt.BatchSize = defaultBatchSize
	}
	if opt.MaxResponseBytes <= 0 {
		opt.MaxResponseBytes = defaultMaxBody
	}
	if opt.UserAgent == "" {
		opt.UserAgent = "oneonone-caldav"
	}
	hc := defaultHTTPClient()
	if opt.HTTPClient != nil {
		copied := *opt.HTTPClient
		hc = &copied
	}
	// Redirects are followed by do, keeping the method and body: net/http
	// turns a redirected PROPFIND into a GET.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{base: u, opt: opt, http: hc}, nil
}

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = 4
	return &http.Client{Transport: t, Timeout: 5 * time.Minute}
}

// meter counts what one public call cost.
type meter struct {
	requests   int
	bytes      int64
	redirected bool // a request was answered from another URL
}

// Requests returns how many HTTP requests the client has sent in all,
// discovery included.
func (c *Client) Requests() int64 { return c.sent.Load() }

// response is a fully read HTTP response.
type response struct {
	status int
	header http.Header
	body   []byte
	url    *url.URL // after redirects; relative hrefs resolve against it
}

// resolve turns an href or URL into an absolute URL on the client's server.
func (c *Client) resolve(ref string) (*url.URL, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("caldav: bad href %q: %w", ref, err)
	}
	return c.base.ResolveReference(r), nil
}

// do sends one request and reads the whole answer, following redirects with
// the same method and body. The credentials follow a redirect to another host
// (as with discovery through /.well-known), but never from https to http.
// Any status is returned; only transport failures are errors.
func (c *Client) do(ctx context.Context, m *meter, method string, u *url.URL, hdr http.Header, body []byte) (*response, error) {
	for range maxRedirects {
		r, err := c.once(ctx, m, method, u, hdr, body)
		if err != nil {
			return nil, err
		}
		loc := r.header.Get("Location")
		if !isRedirect(r.status) || loc == "" {
			return r, nil
		}
		if m != nil {
			m.redirected = true
		}
		next, err := u.Parse(loc)
		if err != nil {
			return nil, &HTTPError{Method: method, URL: Redact(u.String()), Status: r.status, Err: fmt.Errorf("bad redirect %q", loc)}
		}
		if u.Scheme == "https" && next.Scheme != "https" {
			return nil, &HTTPError{Method: method, URL: Redact(u.String()), Status: r.status, Err: errors.New("refusing a redirect from https to http")}
		}
		u = next
	}
	return nil, &HTTPError{Method: method, URL: Redact(u.String()), Err: errors.New("too many redirects")}
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

func (c *Client) once(ctx context.Context, m *meter, method string, u *url.URL, hdr http.Header, body []byte) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("caldav: %s %s: %w", method, Redact(u.String()), err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		// Some servers (Xandikos) answer 415 to a PROPFIND or REPORT without it.
		req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	}
	req.Header.Set("User-Agent", c.opt.UserAgent)
	if c.opt.Username != "" || c.opt.Password != "" {
		req.SetBasicAuth(c.opt.Username, c.opt.Password)
	}
	if m != nil {
		m.requests++
	}
	c.sent.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &HTTPError{Method: method, URL: Redact(u.String()), Err: stripURL(err)}
	}
	defer resp.Body.Close()
	maxBody := c.opt.MaxResponseBytes
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(maxBody)+1))
	if m != nil {
		m.bytes += int64(len(data))
	}
	if err == nil && len(data) > maxBody {
		err = fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxBody)
	}
	if err != nil {
		return nil, &HTTPError{Method: method, URL: Redact(u.String()), Status: resp.StatusCode, Err: stripURL(err)}
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data, url: u}, nil
}

// stripURL unwraps a *url.Error, whose text repeats the URL (we already
// carry a redacted one).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// header builds request headers from key/value pairs, skipping empty values.
func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			h.Set(kv[i], kv[i+1])
		}
	}
	return h
}

// is207 reports a multistatus answer.
func is207(r *response) bool { return r.status == http.StatusMultiStatus }

// sameOrigin reports whether two URLs share scheme and host.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}
