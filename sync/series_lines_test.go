package sync

import "testing"

// A split's first half gives its line to the continuation; other series
// keep theirs, in order.
func TestLinesFoldSplitHalves(t *testing.T) {
	list := []SeriesInfo{{UID: "old"}, {UID: "other"}, {UID: "new", Continues: "old", Since: "2026-03-02"}}
	got := Lines(list)
	if len(got) != 2 || got[0].UID != "other" || got[1].UID != "new" {
		t.Fatalf("Lines = %+v, want other then new", got)
	}
}
