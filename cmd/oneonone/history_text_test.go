package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/sync"
)

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
