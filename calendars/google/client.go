// Package google is the Google Calendar adapter: authentication (a service
// account with domain-wide delegation, or a user's own OAuth grant kept
// encrypted), the incremental change feed of a calendar rendered as
// iCalendar, the conditional write of one occurrence's description, push
// channels, and the retries and request budget that keep many calendars
// inside Google's quotas.
package google

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/webapi"
	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"
)

// Options tune a Client. The zero value talks to Google.
type Options struct {
	// Endpoint replaces the API base URL (the config's endpoint key):
	// "https://proxy.example" or a full ".../calendar/v3/" URL.
	Endpoint string
	// HTTPClient carries the API and token requests; nil is
	// http.DefaultClient. Authentication is added on top of it.
	HTTPClient *http.Client
	// Budget is shared by every Google calendar of the process; nil is
	// DefaultBudget().
	Budget *Budget
	// PageSize is events.list's maxResults (default and most 2500).
	PageSize int
	// The clock and the retry policy: see the fields of webapi.Retry (a
	// Retry-After longer than MaxRetryAfter fails the request so the next
	// poll tries again).
	Now           func() time.Time
	Sleep         func(ctx context.Context, d time.Duration) error
	Jitter        func() float64
	MaxAttempts   int
	MaxRetryAfter time.Duration
	// Scopes requested; default calendar.events (a user's OAuth grant adds
	// calendar.calendarlist.readonly to learn its email address).
	Scopes []string
	// ConnectURL is the daemon's /connect/google page, named in the
	// message that asks a user to connect again.
	ConnectURL string
	Log        *slog.Logger
}

// maxBody bounds one response: a page of events.list holds at most 2,500
// events, each bounded by Google; anything longer is not Google's.
const maxBody = 256 << 20

// Client acts as one Google account.
type Client struct {
	svc     *calendar.Service
	account string
	tokens  *tokenCache
	budget  *Budget
	opt     Options
	log     *slog.Logger
}

// Account is the email address the client acts as.
func (c *Client) Account() string { return c.account }

func (o Options) withDefaults() Options {
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	if o.Budget == nil {
		o.Budget = DefaultBudget()
	}
	if o.PageSize <= 0 || o.PageSize > 2500 {
		o.PageSize = 2500
	}
	if len(o.Scopes) == 0 {
		o.Scopes = []string{calendar.CalendarEventsScope}
	}
	r := o.retry().WithDefaults()
	o.MaxAttempts, o.MaxRetryAfter, o.Now, o.Sleep, o.Jitter, o.Log = r.MaxAttempts, r.MaxRetryAfter, r.Now, r.Sleep, r.Jitter, r.Log
	return o
}

// retry is the retry policy of the options.
func (o Options) retry() webapi.Retry {
	return webapi.Retry{Name: "google", MaxAttempts: o.MaxAttempts, MaxRetryAfter: o.MaxRetryAfter,
		Now: o.Now, Sleep: o.Sleep, Jitter: o.Jitter, Log: o.Log}
}

// apiBase is the calendar/v3 base URL for an endpoint override.
func apiBase(endpoint string) string {
	e := strings.TrimRight(endpoint, "/")
	if strings.HasSuffix(e, "/calendar/v3") {
		return e + "/"
	}
	return e + "/calendar/v3/"
}

// newClient builds the Client around a token cache: requests get an
// access token, are counted by the meter in their context, and go out
// through opt.HTTPClient's transport.
func newClient(ctx context.Context, account string, tokens *tokenCache, opt Options) (*Client, error) {
	hc := webapi.Metered(opt.HTTPClient, maxBody, "google")
	hc.Transport = &authTransport{tokens: tokens, base: hc.Transport}
	opts := []option.ClientOption{option.WithHTTPClient(hc)}
	if opt.Endpoint != "" {
		opts = append(opts, option.WithEndpoint(apiBase(opt.Endpoint)))
	}
	svc, err := calendar.NewService(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return &Client{svc: svc, account: account, tokens: tokens, budget: opt.Budget, opt: opt,
		log: opt.Log.With("google_account", account)}, nil
}

// authTransport adds the access token to every API request.
type authTransport struct {
	tokens *tokenCache
	base   http.RoundTripper
}

func (t *authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	tok, err := t.tokens.token(r.Context())
	if err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	r = r.Clone(r.Context())
	tok.SetAuthHeader(r)
	return t.base.RoundTrip(r)
}
