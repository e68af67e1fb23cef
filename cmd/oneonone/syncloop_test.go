package main

import (
	"testing"
	"time"
)

// The sync loop wakes for a retry that comes due before the next full
// poll, and then syncs only what is due: failing calendars whose backoff
// passed, not the healthy ones, which keep their interval.
func TestSyncLoopSchedule(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	full := now.Add(5 * time.Minute)
	backoff := map[string]*retry{
		"down":   {failures: 1, next: now.Add(30 * time.Second)},
		"later":  {failures: 3, next: now.Add(2 * time.Hour)},
		"passed": {failures: 2, next: now.Add(-time.Second)},
	}
	if got := nextWake(now, full, backoff); got != 30*time.Second {
		t.Errorf("next wake in %s, want 30s (the first retry before the full poll)", got)
	}
	if got := nextWake(now, full, map[string]*retry{"late": backoff["later"]}); got != 5*time.Minute {
		t.Errorf("next wake in %s, want the full poll in 5m", got)
	}
	if got := nextWake(now, now.Add(-time.Minute), nil); got != time.Second {
		t.Errorf("next wake in %s for a poll already due, want the 1s floor", got)
	}
	for _, tc := range []struct {
		name string
		b    *retry
		full bool
		want bool
	}{
		{"healthy, full pass", nil, true, true},
		{"healthy, retry wake", nil, false, false},
		{"failing, backoff passed", backoff["passed"], false, true},
		{"failing, backoff running, full pass", backoff["later"], true, false},
	} {
		if got := due(tc.b, now, tc.full); got != tc.want {
			t.Errorf("%s: due %v, want %v", tc.name, got, tc.want)
		}
	}
}
