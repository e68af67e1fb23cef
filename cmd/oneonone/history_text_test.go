package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/sync"
)

func TestNoticeIsToTheMinuteUnderADay(t *testing.T) {
	for _, c := range []struct {
		hours   float64
		minutes *int
		want    string
	}{
		{0.75, ptr(45), "45 min"},
		{0, ptr(2), "2 min"},
		{0.1, nil, "6 min"}, // an event recorded before minutes were known
		{3.1, ptr(185), "3h 05min"},
		{193, ptr(193 * 60), "193h"},
		{-0.3, ptr(-20), "-20 min"},
	} {
		if got := formatNotice(&c.hours, c.minutes); got != c.want {
			t.Errorf("notice %vh / %v min: %q, want %q", c.hours, c.minutes, got, c.want)
		}
	}
}

func ptr(n int) *int { return &n }

// TestSeriesShowsASplitAsOneLine: the two halves of a split are one line
// saying what the new series continues and since when.
func TestSeriesShowsASplitAsOneLine(t *testing.T) {
	var out bytes.Buffer
	next := "2026-12-23T10:00:00+01:00"
	list := []sync.SeriesInfo{
		{UID: "a", Summary: "Ada / Grace", Calendar: "ada", OneOnOne: true, Why: "1:1 of ada and grace", State: "active"},
		{UID: "b", Summary: "Ada / Grace", Calendar: "ada", OneOnOne: true, Why: "1:1 of ada and grace", State: "active",
			Continues: "a", Since: "2026-12-22", Next: &next},
	}
	if err := printSeries(&env{stdout: &out}, list); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[1], "1:1 of ada and grace; continues series a since 2026-12-22") {
		t.Errorf("series printed:\n%s", out.String())
	}
}
