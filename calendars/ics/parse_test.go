package ics_test

import (
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/ics"
)

// TestNestingIsBounded: components nested deeper than MaxDepth are
// skipped with everything inside them, once reported; what follows them
// is read into the right component.
func TestNestingIsBounded(t *testing.T) {
	deep := strings.Repeat("BEGIN:X\n", 10_000) + "SUMMARY:inside\n" + strings.Repeat("END:X\n", 10_000)
	roots, probs := ics.Parse([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n" + deep + "SUMMARY:after\nEND:VEVENT\nEND:VCALENDAR\n"))
	if len(roots) != 1 || len(roots[0].Children) != 1 {
		t.Fatalf("roots %d", len(roots))
	}
	ev := roots[0].Children[0]
	if p := ev.Prop("SUMMARY"); p == nil || p.Value != "after" {
		t.Errorf("the line after the nesting is not the event's: %v", p)
	}
	depth := 0
	for c := ev; len(c.Children) > 0; c = c.Children[0] {
		depth++
	}
	if depth+2 != ics.MaxDepth {
		t.Errorf("kept %d levels inside the event, want the calendar and event plus %d", depth, ics.MaxDepth-2)
	}
	var limits []ics.Problem
	for _, p := range probs {
		if p.Limit {
			limits = append(limits, p)
		}
	}
	if len(limits) != 1 || limits[0].Line != 3+ics.MaxDepth-1 || !strings.Contains(limits[0].Msg, "nested more than 8 components deep") {
		t.Errorf("limit problems %v, want one at line %d", limits, 3+ics.MaxDepth-1)
	}
}

// TestComponentSize: a component's Size counts its lines, its children's
// included, as unfolded.
func TestComponentSize(t *testing.T) {
	roots, _ := ics.Parse([]byte("BEGIN:VEVENT\r\nSUMMARY:ab\r\n c\r\nBEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT\r\n"))
	// BEGIN:VEVENT, SUMMARY:abc, BEGIN:VALARM, END:VALARM, END:VEVENT, each with CRLF.
	if want := 14 + 13 + 14 + 12 + 12; roots[0].Size != want {
		t.Errorf("size %d, want %d", roots[0].Size, want)
	}
}
