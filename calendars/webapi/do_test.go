package webapi

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
)

// TestDoRetriesWhatIsWorthItAndStopsAtTheBound: each failure is retried
// after the wait retryable names (none for 0), never beyond MaxAttempts,
// and the last error is returned; a failure not worth retrying ends at once.
func TestDoRetriesWhatIsWorthItAndStopsAtTheBound(t *testing.T) {
	clk := testkit.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	r := Retry{Name: "test", MaxAttempts: 4, Now: clk.Now, Sleep: clk.Sleep}
	b := NewBudget("test", 1e6, 1e6, clk.Now, clk.Sleep)
	busy := errors.New("busy")
	tries := 0
	err := r.Do(t.Context(), b, ada, func(context.Context) error { tries++; return busy },
		func(err error, attempt int) (time.Duration, bool) {
			return time.Duration(attempt-1) * time.Second, true
		})
	if !errors.Is(err, busy) || tries != 4 {
		t.Errorf("err %v after %d tries; want busy after 4", err, tries)
	}
	if got := clk.Slept(); !slices.Equal(got, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("slept %v; want none after the first, then 1s, 2s", got)
	}
	tries = 0
	err = r.Do(t.Context(), b, ada, func(context.Context) error {
		if tries++; tries == 2 {
			return nil
		}
		return busy
	}, func(error, int) (time.Duration, bool) { return 0, true })
	if err != nil || tries != 2 {
		t.Errorf("a retry that works: err %v after %d tries", err, tries)
	}
	tries = 0
	err = r.Do(t.Context(), b, ada, func(context.Context) error { tries++; return busy },
		func(error, int) (time.Duration, bool) { return time.Second, false })
	if !errors.Is(err, busy) || tries != 1 {
		t.Errorf("not worth retrying: err %v after %d tries; want busy after 1", err, tries)
	}
}
