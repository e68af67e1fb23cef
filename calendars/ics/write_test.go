package ics_test

import (
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/ics"
)

// TestWrittenLinesCannotBreakOut: names, addresses and text from an API
// cannot start a line or a parameter of their own.
func TestWrittenLinesCannotBreakOut(t *testing.T) {
	var b strings.Builder
	ics.Line(&b, "ATTENDEE"+ics.CN("Ada \"the\"\r\nLovelace\x00")+":"+ics.Mailto(" ada@exa\tmple.com\r\nX:1"))
	ics.TextProp(&b, "SUMMARY", "1:1; a, b\nnext\x07")
	ics.TextProp(&b, "LOCATION", "")
	want := "ATTENDEE;CN=\"Ada 'the' Lovelace\":mailto:ada@example.comX:1\r\n" +
		"SUMMARY:1:1\\; a\\, b\\nnext\r\n"
	if got := b.String(); got != want {
		t.Errorf("wrote\n%q\nwant\n%q", got, want)
	}
	if ics.CN(" \r\n ") != "" {
		t.Error("a blank name got a CN parameter")
	}
}
