package webapi

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
)

const ada, grace = "ada@example.com", "grace@example.com"

func TestBudget(t *testing.T) {
	clk := testkit.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	b := NewBudget("google", 120, 600, clk.Now, clk.Sleep) // project: 2/s, bursts of 12; users: 10/s, bursts of 60
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
	b = NewBudget("google", 10000, 600, clk.Now, clk.Sleep)
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
			if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "google: waiting for the request budget") {
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
	b := NewBudget("google", 180, 6000, clk.Now, clk.Sleep) // alone: 3/s, bursts of 18
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
