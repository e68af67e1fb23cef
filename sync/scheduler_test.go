package sync

import (
	"errors"
	"log/slog"
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

// A failing calendar is retried after the interval, doubled per failure
// in a row and capped at an hour; its owner hears of it once per episode
// (the first failure), and a sync that works ends the episode.
func TestSchedulerBackoff(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var told []string
	s := &Scheduler{Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler),
		Failing: func(sum Summary, owner string) { told = append(told, sum.Calendar+" "+owner) }}
	fail := Summary{Calendar: "ada", Err: errors.New("server down")}
	var b *retry
	for i, want := range []time.Duration{5 * time.Minute, 10 * time.Minute, 20 * time.Minute, 40 * time.Minute, time.Hour, time.Hour} {
		b = s.noteResult(b, fail, 5*time.Minute, "ada@example.com")
		if got := b.next.Sub(now); got != want {
			t.Errorf("failure %d: next try in %s, want %s", i+1, got, want)
		}
	}
	if len(told) != 1 || told[0] != "ada ada@example.com" {
		t.Errorf("owner told %v, want once", told)
	}
	if b = s.noteResult(b, Summary{Calendar: "ada"}, 5*time.Minute, "ada@example.com"); b != nil {
		t.Errorf("a sync that works keeps a backoff: %+v", b)
	}
	s.noteResult(nil, fail, 5*time.Minute, "ada@example.com")
	if len(told) != 2 {
		t.Errorf("a new episode does not tell the owner again: %v", told)
	}
}
