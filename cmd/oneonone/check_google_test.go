package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/google/googletest"
)

// check contacts Google the way a sync would: a token for the subject,
// then a read of the calendar. A subject Google refuses, an endpoint
// that does not answer and a calendar the subject cannot see are each
// reported with what to do, and make check exit 1.
func TestCheckGoogle(t *testing.T) {
	g := googletest.New()
	t.Cleanup(g.Close)
	g.AddCalendar("ada@example.com", "ada@example.com")
	g.AddCalendar("grace@example.com", "grace@example.com")
	g.RejectSubject("grace@example.com")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "secrets.key"), bytes.Repeat([]byte("k"), 32), 0o400)
	key := filepath.Join(dir, "sa.json")
	os.WriteFile(key, g.ServiceAccountKey(), 0o600)
	calendar := func(subject, endpoint, extra string) string {
		return fmt.Sprintf("state_dir = %q\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"o@example.com\"\nmaildir = %q\n"+
			"[[calendar]]\nname = \"cal\"\ntype = \"google\"\nsubject = %q\ncredentials_file = %q\nendpoint = %q\n%s",
			dir, filepath.Join(dir, "mail"), subject, key, endpoint, extra)
	}
	for _, tc := range []struct {
		name, config string
		code         int
		want         []string
	}{
		{"reachable", calendar("ada@example.com", g.URL, ""), 0, []string{"calendar cal (primary): ok"}},
		{"refused subject", calendar("grace@example.com", g.URL, ""), 1,
			[]string{"calendar cal (primary): ", "may not act as grace@example.com", "domain-wide delegation"}},
		{"unreachable endpoint", calendar("ada@example.com", closedURL(t), ""), 1,
			[]string{"calendar cal (primary): ", "cannot reach the Calendar API", "check endpoint"}},
		{"calendar not shared", calendar("ada@example.com", g.URL, "calendar_id = \"grace@example.com\"\n"), 1,
			[]string{"calendar cal (grace@example.com): ", "not found for ada@example.com", "check calendar_id"}},
	} {
		file := filepath.Join(dir, "oneonone.toml")
		os.WriteFile(file, []byte(tc.config), 0o600)
		out, errOut, code := runCmd(t, time.Now(), nil, "check", "--config", file)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", tc.name, code, tc.code, out, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q\n%s%s", tc.name, w, out, errOut)
			}
		}
	}
}

// closedURL is the address of a port nothing listens on.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}
