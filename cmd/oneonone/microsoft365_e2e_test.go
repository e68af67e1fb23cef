package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/microsoft365/graphtest"
	"github.com/oneonone/oneonone/deploy/demo"
)

// m365Calendar is a [[calendar]] table for a mailbox of the fake Graph.
func m365Calendar(g *graphtest.Server, name, user, secretFile string) string {
	return fmt.Sprintf("[[calendar]]\nname = %q\ntype = \"microsoft365\"\nuser = %q\ntenant = \"contoso.onmicrosoft.com\"\n"+
		"client_id = \"app\"\nclient_secret_file = %q\nendpoint = %q\nlogin_endpoint = %q\n",
		name, user, secretFile, g.GraphEndpoint(), g.LoginEndpoint())
}

// TestPrepEndToEndMicrosoft365 runs the prep cycle through two Microsoft
// 365 mailboxes (the fake Graph): a weekly 1:1 of Ada and Grace that an
// assistant (ignored by the rules) organizes, so both copies are
// attendees'. Both get a prep mail; their answers become the agenda in
// both copies of that one occurrence, each body's own text kept, the
// series untouched; no attendee got an update message from our writes;
// /metrics counts the requests as provider="microsoft365".
func TestPrepEndToEndMicrosoft365(t *testing.T) {
	const assistant = "assistant@contoso.com"
	g := graphtest.New()
	t.Cleanup(g.Close)
	g.AddTenant("contoso.onmicrosoft.com")
	g.AddApp("contoso.onmicrosoft.com", "app", "secret", graphtest.CalendarsReadWrite)
	for _, a := range []string{"ada@contoso.com", "grace@contoso.com"} {
		g.AddMailbox("contoso.onmicrosoft.com", a, a[:1])
	}
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	uid := g.CreateMeeting(graphtest.Meeting{Organizer: assistant, Attendees: []string{"ada@contoso.com", "grace@contoso.com"},
		Subject: "Ada / Grace", Body: "<p>Bring the roadmap.</p>", Start: start, Duration: 30 * time.Minute,
		TimeZone: "W. Europe Standard Time", Recurrence: &graphtest.Recurrence{Pattern: "weekly", Interval: 1}})
	dir := t.TempDir()
	secret := filepath.Join(dir, "m365")
	os.WriteFile(secret, []byte("secret\n"), 0o600)
	maildir := filepath.Join(dir, "mail")
	d := startDaemonWith(t, "[detect]\nignore_attendees = [\""+assistant+"\"]\n"+
		m365Calendar(g, "ada", "ada@contoso.com", secret)+m365Calendar(g, "grace", "grace@contoso.com", secret),
		"maildir = "+quote(maildir)+"\n")

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
	body := func(user string) string {
		ev, _ := g.Event(user, g.EventID(user, uid, start))
		return ev.BodyHTML
	}
	for _, user := range []string{"ada@contoso.com", "grace@contoso.com"} {
		waitFor(t, func() bool {
			b := body(user)
			return strings.Contains(b, "First topic") && strings.Contains(b, "Second topic")
		})
		if b := body(user); !strings.Contains(b, "Bring the roadmap.") {
			t.Errorf("%s's text was lost:\n%s", user, b)
		}
		if master, _ := g.Event(user, g.EventID(user, uid, time.Time{})); strings.Contains(master.BodyHTML, "topic") {
			t.Errorf("%s's series itself was changed: %s", user, master.BodyHTML)
		}
	}
	if n := g.GraphNotifications(); n != 0 {
		t.Errorf("%d update messages caused by our writes", n)
	}
	metrics := get(t, d.public+"/metrics")
	if !strings.Contains(metrics, `oneonone_calendar_requests_total{provider="microsoft365",status="200"}`) {
		t.Errorf("/metrics counts no Microsoft 365 request:\n%s", grepLines(metrics, "oneonone_calendar_requests_total"))
	}
}
