package calendars_test

import (
	"testing"

	"github.com/oneonone/oneonone/calendars"
)

// A title or name that tries to start a header or a line of its own, or
// to read backwards, is one plain line.
func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		" Ada / Grace ":                         "Ada / Grace",
		"1:1\r\nBcc: all@example.com":           "1:1 Bcc: all@example.com",
		"a\x00\u0085b":                          "a b",
		"pay \u202eexe.fdp\u202c now":           "pay  exe.fdp  now",
		"tab\tand  two spaces stay as they are": "tab and  two spaces stay as they are",
	} {
		if got := calendars.OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
