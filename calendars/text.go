package calendars

import (
	"strings"
	"unicode"
)

// IsControl reports the characters that text taken from a calendar or
// typed by a person never keeps as they are: C0 and C1 controls, and the
// direction overrides and isolates that make text read otherwise than it
// is.
func IsControl(r rune) bool {
	return unicode.IsControl(r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// OneLine replaces each run of control characters (CR and LF among them)
// with one space and trims the result: names, titles and subjects come
// from calendars and may try to start a header or a line of their own.
func OneLine(s string) string {
	if !strings.ContainsFunc(s, IsControl) {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(strings.Join(strings.FieldsFunc(s, IsControl), " "))
}
