package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
)

// TestIdleSyncIsOneRequest: discovery is remembered, so once a calendar
// is set up an idle `sync --once` costs exactly one request per calendar,
// configured by server root or by collection URL; the summary's requests
// count every request made, discovery included; a changed url is
// discovered again.
func TestIdleSyncIsOneRequest(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	col := srv.MakeCalendar(t, "test", "work")
	data, _ := os.ReadFile("testdata/weekly-1on1.ics")
	srv.Put(t, "test", col+"sample.ics", data)
	dir := t.TempDir()
	file := filepath.Join(dir, "oneonone.toml")
	writeConfig := func(rootURL string) {
		cfg := fmt.Sprintf(`state_dir = %q
public_url = "http://127.0.0.1:8080"
[mail]
from = "oneonone@example.com"
[[calendar]]
name = "root"
type = "caldav"
url = %q
username = "test"
password = "testpass"
[[calendar]]
name = "coll"
type = "caldav"
url = %q
username = "test"
password = "testpass"
`, dir, rootURL, col)
		if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	syncOnce := func(what string) map[string]int {
		t.Helper()
		srv.ResetRequests()
		out, errOut, code := runCmd(t, now, nil, "sync", "--once", "--json", "--config", file)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", what, code, out, errOut)
		}
		var sum struct {
			Calendars []struct {
				Calendar string
				Requests int
			}
		}
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatalf("%s: %v: %s", what, err, out)
		}
		got, total := map[string]int{}, 0
		for _, c := range sum.Calendars {
			got[c.Calendar] = c.Requests
			total += c.Requests
		}
		if seen := len(srv.Requests()); seen != total {
			t.Errorf("%s: the summary counts %d requests, the server saw %d: %v", what, total, seen, srv.Requests())
		}
		return got
	}

	writeConfig(srv.URL + "/")
	first := syncOnce("first sync")
	if first["root/work"] < 3 || first["coll"] < 2 {
		t.Errorf("first sync %v: discovery is not counted", first)
	}
	for range 2 {
		idle := syncOnce("idle sync")
		if idle["root/work"] != 1 || idle["coll"] != 1 || len(idle) != 2 {
			t.Errorf("idle sync: %v, want one request per calendar", idle)
		}
	}

	writeConfig(srv.URL + "/test/")
	changed := syncOnce("sync after the url changed")
	if changed["root/work"] < 2 {
		t.Errorf("after the url changed: %v, want root discovered again", changed)
	}
	if idle := syncOnce("idle sync"); idle["root/work"] != 1 {
		t.Errorf("idle sync after rediscovery: %v", idle)
	}
}

// TestGoneCalendarIsDiscoveredAgain: a remembered collection that answers
// 404 fails that sync and is forgotten; the next sync finds what the
// account has now.
func TestGoneCalendarIsDiscoveredAgain(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	col := srv.MakeCalendar(t, "test", "work")
	dir := t.TempDir()
	file := filepath.Join(dir, "oneonone.toml")
	cfg := fmt.Sprintf("state_dir = %q\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"oneonone@example.com\"\n"+
		"[[calendar]]\nname = \"root\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\n", dir, srv.URL+"/test/")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	if out, errOut, code := runCmd(t, now, nil, "sync", "--once", "--config", file); code != 0 {
		t.Fatalf("first sync: exit %d\n%s%s", code, out, errOut)
	}
	srv.Delete(t, "test", col)
	srv.MakeCalendar(t, "test", "renamed")
	if out, _, code := runCmd(t, now, nil, "sync", "--once", "--config", file); code != 1 {
		t.Errorf("sync of a deleted calendar: exit %d, want 1\n%s", code, out)
	}
	out, errOut, code := runCmd(t, now, nil, "sync", "--once", "--config", file)
	if code != 0 || !strings.Contains(out, "root/renamed") {
		t.Errorf("sync after the calendar went: exit %d, want root/renamed synced\n%s%s", code, out, errOut)
	}
}
