package google

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
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
