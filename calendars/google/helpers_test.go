package google

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/google/googletest"
	"github.com/oneonone/oneonone/calendars/testkit"
)

const (
	ada   = "ada@example.com"
	grace = "grace@example.com"
)

var berlin = mustZone("Europe/Berlin")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// firstTuesday is the first occurrence of the weekly test series.
var firstTuesday = time.Date(2026, 11, 3, 10, 0, 0, 0, berlin)

// options are a client's options on the test clock c, whose Sleep
// records the wait and moves the clock on instead of waiting.
func options(c *testkit.Clock) Options {
	return Options{Now: c.Now, Sleep: c.Sleep, Jitter: func() float64 { return 0.5 },
		Budget: NewBudget(ProjectPerMinute, UserPerMinute, c.Now, c.Sleep)}
}

// setup starts the fake with ada's and grace's calendars and a client
// acting as ada through the service account.
func setup(t *testing.T) (*googletest.Server, *Client, *testkit.Clock) {
	t.Helper()
	srv := googletest.New()
	t.Cleanup(srv.Close)
	clk := testkit.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	srv.Now = clk.Now
	srv.AddCalendar(ada, ada)
	srv.AddCalendar(grace, grace)
	return srv, serviceClient(t, srv, ada, options(clk)), clk
}

func serviceClient(t *testing.T, srv *googletest.Server, subject string, opt Options) *Client {
	t.Helper()
	opt.Endpoint = srv.URL
	c, err := NewServiceAccount(t.Context(), srv.ServiceAccountKey(), subject, opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// weekly adds ada's weekly 1:1 with grace, Tuesdays 10:00 Berlin.
func weekly(srv *googletest.Server) (id, uid string) {
	return srv.AddRecurring(ada, googletest.Recurring{Summary: "Ada / Grace", Start: firstTuesday, TZ: "Europe/Berlin",
		RRule: "FREQ=WEEKLY", Organizer: ada, Attendees: []string{grace}})
}

// memTokens is a Tokens in memory (store.TokenStore is tested in its
// package).
type memTokens struct {
	mu     sync.Mutex
	tokens map[string]string
}

func newMemTokens() *memTokens { return &memTokens{tokens: map[string]string{}} }

func (m *memTokens) Save(_ context.Context, account, rt string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[NormalizeAccount(account)] = rt
	return nil
}

func (m *memTokens) Load(_ context.Context, account string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rt, ok := m.tokens[NormalizeAccount(account)]
	if !ok {
		return "", ErrNoToken
	}
	return rt, nil
}

// count is the number of logged requests to method.
func count(srv *googletest.Server, method string) int { return len(srv.Requests(method)) }

// hookTransport runs before on every request it carries.
type hookTransport struct {
	before func(*http.Request)
}

func (h hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h.before(r)
	return http.DefaultTransport.RoundTrip(r)
}

func byHref(objs []Object) map[string]string {
	out := map[string]string{}
	for _, o := range objs {
		out[o.Href] = string(o.Data)
	}
	return out
}
