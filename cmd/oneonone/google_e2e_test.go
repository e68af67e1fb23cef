package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/google/googletest"
	"github.com/oneonone/oneonone/deploy/demo"
)

// TestPrepEndToEndGoogle runs the same cycle as TestPrepEndToEnd through a
// Google calendar (a service account acting as the organizer, against the
// fake Calendar API): mails, answers, and the agenda patched into that
// one instance's description with the organizer's text kept.
func TestPrepEndToEndGoogle(t *testing.T) {
	g := googletest.New()
	t.Cleanup(g.Close)
	g.AddCalendar("ada@example.com", "ada@example.com")
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	id, _ := g.AddRecurring("ada@example.com", googletest.Recurring{Summary: "Ada / Grace", Description: "Bring the roadmap.",
		Start: start, TZ: "Europe/Berlin", RRule: "FREQ=WEEKLY", Attendees: []string{"grace@example.com"}})
	dir := t.TempDir()
	key := filepath.Join(dir, "sa.json")
	os.WriteFile(key, g.ServiceAccountKey(), 0o600)
	maildir := filepath.Join(dir, "mail")
	d := startDaemonWith(t, strings.Join([]string{
		"[[calendar]]", `name = "ada"`, `type = "google"`, `subject = "ada@example.com"`,
		"credentials_file = " + quote(key), "endpoint = " + quote(g.URL), ""}, "\n"), "maildir = "+quote(maildir)+"\n")

	link := regexp.MustCompile(regexp.QuoteMeta(d.public) + `/p/[A-Za-z0-9_-]+`)
	var links []string
	waitFor(t, func() bool {
		links = nil
		entries, _ := os.ReadDir(filepath.Join(maildir, "new"))
		for _, e := range entries {
			raw, _ := os.ReadFile(filepath.Join(maildir, "new", e.Name()))
			_, _, text := demo.ReadMail(raw)
			links = append(links, link.FindString(text))
		}
		return len(links) == 2
	})
	answer(t, d, links[0], "a.topics", "First topic")
	answer(t, d, links[1], "a.topics", "Second topic")
	instance := google.InstanceID(id, start, false)
	waitFor(t, func() bool {
		desc := g.Event("ada@example.com", instance).Description
		return strings.Contains(desc, "First topic") && strings.Contains(desc, "Second topic")
	})
	desc := g.Event("ada@example.com", instance).Description
	if !strings.Contains(desc, "Bring the roadmap.") {
		t.Errorf("the organizer's text was lost:\n%s", desc)
	}
	if master := g.Event("ada@example.com", id).Description; master != "Bring the roadmap." {
		t.Errorf("the series itself was changed: %q", master)
	}
	for _, r := range g.Requests("events.patch") {
		if r.Query.Get("sendUpdates") != "none" {
			t.Errorf("a patch notified the guests: sendUpdates=%q", r.Query.Get("sendUpdates"))
		}
	}
	// Every request went to Google, and /metrics says so.
	metrics := get(t, d.public+"/metrics")
	if !strings.Contains(metrics, `oneonone_calendar_requests_total{provider="google",status="200"}`) {
		t.Errorf("/metrics counts no Google request:\n%s", grepLines(metrics, "oneonone_calendar_requests_total"))
	}
	if strings.Contains(metrics, `oneonone_calendar_requests_total{provider="caldav"`) {
		t.Errorf("/metrics counts Google requests as CalDAV:\n%s", grepLines(metrics, "oneonone_calendar_requests_total"))
	}
}

// grepLines is the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"` }
