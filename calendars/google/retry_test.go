package google

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
)

func TestRetriesHonourRetryAfterAndBackOff(t *testing.T) {
	srv, c, clk := setup(t)
	weekly(srv)
	srv.FailNext("events.list", 429, "", "7")
	srv.FailNext("events.list", 403, "userRateLimitExceeded", "")
	srv.FailNext("events.list", 503, "", "")
	srv.FailNext("events.list", 403, "rateLimitExceeded", "")
	ch, _, err := c.Changes(t.Context(), ada, Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	// Retry-After 7 s, then 2^(n-1) s of which the upper half is jitter
	// (0.5 here): 1.5 s, 3 s, 6 s.
	want := []time.Duration{7 * time.Second, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second}
	if got := clk.Slept(); !slices.Equal(got, want) || ch.Requests != 5 || len(ch.Updated) != 1 {
		t.Errorf("slept %v (want %v), %d requests", got, want, ch.Requests)
	}
}

func TestRetryAfterAsHTTPDate(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	h := http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}
	if d, ok := retryAfter(h, now); !ok || d != 90*time.Second {
		t.Errorf("Retry-After date: %v %v", d, ok)
	}
	if _, ok := retryAfter(http.Header{"Retry-After": {"soon"}}, now); ok {
		t.Error("a malformed Retry-After was honoured")
	}
}

func TestWhatIsNotRetried(t *testing.T) {
	for _, tc := range []struct {
		status            int
		reason, retryWait string
	}{
		{403, "forbidden", ""},
		{404, "notFound", ""},
		{400, "badRequest", ""},
		{429, "", "3600"}, // longer than MaxRetryAfter: the next poll tries again
	} {
		srv, c, clk := setup(t)
		srv.FailNext("events.list", tc.status, tc.reason, tc.retryWait)
		ch, _, err := c.Changes(t.Context(), ada, Cursor{})
		if !isStatus(err, tc.status) || ch.Requests != 1 || len(clk.Slept()) != 0 {
			t.Errorf("%d %s: err %v after %d requests, slept %v", tc.status, tc.reason, err, ch.Requests, clk.Slept())
		}
	}
}

func TestRetriesAreBounded(t *testing.T) {
	srv, c, clk := setup(t)
	for range 6 {
		srv.FailNext("events.list", 500, "", "")
	}
	ch, _, err := c.Changes(t.Context(), ada, Cursor{})
	if !isStatus(err, 500) || ch.Requests != 6 || len(clk.Slept()) != 5 {
		t.Errorf("err %v after %d requests and %d waits; want 6 attempts", err, ch.Requests, len(clk.Slept()))
	}
	if got := clk.Slept()[4]; got != 12*time.Second {
		t.Errorf("fifth wait %v, want 12s (16 s capped at 32 s, half jitter)", got)
	}

	// The context bounds the waiting too.
	ctx, cancel := context.WithCancel(t.Context())
	c.opt.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	srv.FailNext("events.list", 503, "", "")
	_, _, err = c.Changes(ctx, ada, Cursor{})
	if !errors.Is(err, context.Canceled) || !isStatus(err, 503) {
		t.Errorf("cancelled while waiting: %v", err)
	}
}

func TestTokenEndpointFailuresAreRetried(t *testing.T) {
	srv, c, clk := setup(t)
	srv.FailNext("token", 503, "temporarily_unavailable", "2")
	if _, _, err := c.Changes(t.Context(), ada, Cursor{}); err != nil {
		t.Fatal(err)
	}
	if got := clk.Slept(); !slices.Equal(got, []time.Duration{2 * time.Second}) || count(srv, "token") != 2 {
		t.Errorf("slept %v, %d token requests", got, count(srv, "token"))
	}
}

func TestBudget(t *testing.T) {
	clk := testkit.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	b := NewBudget(120, 600, clk.Now, clk.Sleep) // project: 2/s, bursts of 12; users: 10/s, bursts of 60
	for i := range 12 {
		if err := b.Take(t.Context(), string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	if len(clk.Slept()) != 0 {
		t.Fatalf("the burst waited: %v", clk.Slept())
	}
	b.Take(t.Context(), "z")
	b.Take(t.Context(), "z")
	if got := clk.Slept(); !slices.Equal(got, []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}) {
		t.Errorf("over the project budget: slept %v, want two half seconds", got)
	}

	clk = testkit.NewClock(clk.Now())
	b = NewBudget(ProjectPerMinute, UserPerMinute, clk.Now, clk.Sleep)
	for range 60 {
		b.Take(t.Context(), ada)
	}
	b.Take(t.Context(), grace) // another user is not held up by ada
	if len(clk.Slept()) != 0 {
		t.Fatalf("within the user budget: slept %v", clk.Slept())
	}
	b.Take(t.Context(), ada)
	if got := clk.Slept(); !slices.Equal(got, []time.Duration{100 * time.Millisecond}) {
		t.Errorf("ada over 600/min: slept %v, want 100ms", got)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for range 100 {
		if err := b.Take(ctx, ada); err != nil {
			if !errors.Is(err, context.Canceled) {
				t.Errorf("budget wait with a done context: %v", err)
			}
			return
		}
	}
	t.Error("a done context waited for the budget")
}

// Instances that share the quotas keep each to its part: with three
// running, one gets a third of the project's rate and bursts; when the
// others stop, the whole of it again.
func TestBudgetSharedByInstances(t *testing.T) {
	clk := testkit.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	b := NewBudget(180, 6000, clk.Now, clk.Sleep) // alone: 3/s, bursts of 18
	instances := 3
	b.ShareWith(func() int { return instances })
	for range 6 { // a third of the burst
		b.Take(t.Context(), "u")
	}
	if len(clk.Slept()) != 0 {
		t.Fatalf("within a third of the burst: slept %v", clk.Slept())
	}
	b.Take(t.Context(), "u")
	if got := clk.Slept(); !slices.Equal(got, []time.Duration{time.Second}) {
		t.Errorf("over a third of the project budget: slept %v, want 1s (1/s)", got)
	}
	instances = 1
	clk.Advance(time.Minute)
	before := len(clk.Slept())
	for range 18 {
		b.Take(t.Context(), "u")
	}
	if got := clk.Slept()[before:]; len(got) != 0 {
		t.Errorf("alone again, the whole burst: slept %v", got)
	}
}
