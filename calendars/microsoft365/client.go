// Package microsoft365 is the Microsoft 365 (Outlook) adapter through
// Microsoft Graph: app-only authentication with the client credentials
// flow, the change feed of a mailbox's calendar (calendarView delta)
// rendered as iCalendar, the conditional write of the agenda into an
// attendee's own copy of one occurrence, and the retries and request
// budget that keep many mailboxes inside Graph's throttling limits.
package microsoft365

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/webapi"
)

const (
	// DefaultEndpoint is Graph's global v1.0 base URL.
	DefaultEndpoint = "https://graph.microsoft.com/v1.0/"
	// DefaultLogin is the global Microsoft Entra authority.
	DefaultLogin = "https://login.microsoftonline.com"
)

// maxBody bounds one response: a page of maxpagesize events with HTML
// bodies stays far below it.
const maxBody = 64 << 20

// Config is one [[calendar]] of type "microsoft365".
type Config struct {
	User          string // the mailbox: userPrincipalName or object id
	Tenant        string // tenant id or domain
	ClientID      string
	ClientSecret  string
	Endpoint      string // Graph base URL including its version; "" is DefaultEndpoint
	LoginEndpoint string // token authority; "" is DefaultLogin
}

// Options tune a Client. The zero value talks to Microsoft.
type Options struct {
	// HTTPClient carries the Graph and token requests (its Timeout bounds
	// each); nil is http.DefaultClient.
	HTTPClient *http.Client
	// Budget is shared by every Microsoft 365 calendar of the process
	// (Graph throttles per app and tenant); nil is DefaultBudget().
	Budget *Budget
	// PageSize is the odata.maxpagesize asked for (default 100).
	PageSize int
	Log      *slog.Logger
	// The clock and the retry policy: see the fields of webapi.Retry.
	Now           func() time.Time
	Sleep         func(ctx context.Context, d time.Duration) error
	Jitter        func() float64
	MaxAttempts   int
	MaxRetryAfter time.Duration
}

func (o Options) withDefaults() Options {
	if o.Budget == nil {
		o.Budget = DefaultBudget()
	}
	if o.PageSize <= 0 || o.PageSize > 1000 {
		o.PageSize = 100
	}
	r := o.retry().WithDefaults()
	o.MaxAttempts, o.MaxRetryAfter, o.Now, o.Sleep, o.Jitter, o.Log = r.MaxAttempts, r.MaxRetryAfter, r.Now, r.Sleep, r.Jitter, r.Log
	return o
}

// retry is the retry policy of the options.
func (o Options) retry() webapi.Retry {
	return webapi.Retry{Name: "microsoft365", MaxAttempts: o.MaxAttempts, MaxRetryAfter: o.MaxRetryAfter,
		Now: o.Now, Sleep: o.Sleep, Jitter: o.Jitter, Log: o.Log}
}

// Client reads and writes the calendars of one tenant's mailboxes as one
// app.
type Client struct {
	cfg    Config
	base   string // Graph base URL with a trailing slash
	hc     *http.Client
	tokens *tokens
	opt    Options
	log    *slog.Logger
}

// New checks cfg and returns a Client; no request is made.
func New(cfg Config, opt Options) (*Client, error) {
	switch {
	case cfg.User == "":
		return nil, errors.New("microsoft365: user is empty: set it to the mailbox watched (its userPrincipalName or id)")
	case cfg.Tenant == "" || strings.ContainsAny(cfg.Tenant, "/?#"):
		return nil, errors.New("microsoft365: tenant must be the tenant id or a domain such as contoso.onmicrosoft.com")
	case cfg.ClientID == "":
		return nil, errors.New("microsoft365: client_id is empty: set it to the app registration's application (client) id")
	case cfg.ClientSecret == "":
		return nil, errors.New("microsoft365: the client secret is empty: put the app's secret in client_secret_file")
	}
	opt = opt.withDefaults()
	base := cfg.Endpoint
	if base == "" {
		base = DefaultEndpoint
	}
	base = strings.TrimRight(base, "/") + "/"
	hc := webapi.Metered(opt.HTTPClient, maxBody, "microsoft365")
	return &Client{cfg: cfg, base: base, hc: hc, tokens: newTokens(cfg, hc), opt: opt,
		log: opt.Log.With("mailbox", cfg.User)}, nil
}

// User is the mailbox the client reads by default.
func (c *Client) User() string { return c.cfg.User }
