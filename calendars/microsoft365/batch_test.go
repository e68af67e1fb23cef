package microsoft365

import (
	"slices"
	"testing"
	"time"
)

// TestFullReadForgetsWhatTheWindowLeftBehind: after a full read over a
// later window, plain occurrences before it are forgotten (exceptions
// kept, for a later deletion of their series); a series with nothing
// left in the window is forgotten, not read; an instance the window
// holds but the read did not list is taken as deleted.
func TestFullReadForgetsWhatTheWindowLeftBehind(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 12, d, 9, 0, 0, 0, time.UTC) }
	cur := Cursor{Masters: map[string]string{"old": "u-old", "live": "u-live"}, Instances: map[string]instance{
		"old-1":  {Master: "old", Start: day(1)},
		"live-1": {Master: "live", Start: day(1)},
		"live-x": {Master: "live", Start: day(2), Object: true},
		"live-2": {Master: "live", Start: day(15)},
		"live-3": {Master: "live", Start: day(22)},
	}}.clone()
	b := newBatch(cur)
	items := []event{{ID: "live-3", Type: "occurrence", SeriesMasterID: "live", Start: &dateTimeZone{DateTime: "2026-12-22T09:00:00", TimeZone: "UTC"}}}
	b.add(items)
	b.reconcile(items, day(10), day(31))
	if got := sortedIDs(b.next.Instances); !slices.Equal(got, []string{"live-2", "live-3", "live-x"}) {
		t.Errorf("instances kept %v", got)
	}
	if got := sortedIDs(b.next.Masters); !slices.Equal(got, []string{"live"}) {
		t.Errorf("masters kept %v", got)
	}
	if !slices.Equal(b.masters, []string{"live"}) || !b.removed["live-2"] || b.removed["live-3"] {
		t.Errorf("touched %v, removed %v", b.masters, b.removed)
	}
}
