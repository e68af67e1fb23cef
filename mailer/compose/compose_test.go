package compose_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones the templates are checked in, on any host

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/compose"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("no time zone database: %v", err)
	}
	return loc
}

// prep is a mail about a Tuesday 14:00 Berlin meeting whose title and the
// other person's name try HTML and header injection.
func prep(t *testing.T) compose.Prep {
	start := time.Date(2026, 3, 3, 13, 0, 0, 0, time.UTC)
	return compose.Prep{
		From:      mailer.FormatAddress("1:1 prep", "oneonone@example.com"),
		To:        compose.Person{Name: "Ada Lovelace", Email: "ada@example.com"},
		Other:     compose.Person{Name: "Grace <b>Hopper</b>\r\nBcc: eve@example.com", Email: "grace@example.com"},
		Title:     "Weekly <script>alert(1)</script> 1:1\n",
		Start:     start,
		End:       start.Add(30 * time.Minute),
		Location:  berlin(t),
		PublicURL: "https://1on1.example.com",
		Token:     "TOKEN-of-ada",
		Questions: []string{"What do you want to talk about?", "Feedback for the other person?"},
		Agenda:    "Ada Lovelace\n  What do you want to talk about?\n    the <roadmap> & hiring\r\n\x1b[31mred\x1b[0m",
	}
}

// dump writes a message the way the golden files hold it.
func dump(m mailer.Message) string {
	var b strings.Builder
	b.WriteString("From: " + m.From + "\n")
	b.WriteString("To: " + strings.Join(m.To, ", ") + "\n")
	b.WriteString("Subject: " + m.Subject + "\n")
	for _, h := range m.Headers {
		b.WriteString(h.Name + ": " + h.Value + "\n")
	}
	b.WriteString("\n" + m.Text)
	b.WriteString("\n========== text/html ==========\n" + m.HTML)
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", path, got)
	}
}

func TestGolden(t *testing.T) {
	cases := map[string]func(compose.Prep) (mailer.Message, error){
		"invite":   compose.Invite,
		"reminder": compose.Reminder,
		"agenda":   compose.Agenda,
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := fn(prep(t))
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, m)
			golden(t, name, dump(m))
		})
	}
	t.Run("disconnected", func(t *testing.T) {
		m, err := compose.CalendarDisconnected(compose.Disconnected{
			From:         mailer.FormatAddress("1:1 prep", "oneonone@example.com"),
			To:           compose.Person{Name: "Grace Hopper", Email: "grace@example.com"},
			Calendar:     "grace <work>",
			Reason:       "the grant was revoked\r\nBcc: eve@example.com",
			ReconnectURL: "https://1on1.example.com/connect",
		})
		if err != nil {
			t.Fatal(err)
		}
		checkSafe(t, m)
		golden(t, "disconnected", dump(m))
	})
}

// checkSafe asserts what holds for every mail: one-line headers, escaped
// HTML, and a message the mailer can render.
func checkSafe(t *testing.T, m mailer.Message) {
	t.Helper()
	m.DedupKey = "test"
	if strings.ContainsAny(m.Subject, "\r\n") {
		t.Errorf("subject has a line break: %q", m.Subject)
	}
	for _, h := range m.Headers {
		if strings.ContainsAny(h.Value, "\r\n") {
			t.Errorf("header %s has a line break: %q", h.Name, h.Value)
		}
	}
	for _, bad := range []string{"<script>", "<b>", "<roadmap>", "\x1b"} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML part holds %q unescaped", bad)
		}
	}
	if _, err := mailer.RenderBytes(m); err != nil {
		t.Fatalf("render: %v", err)
	}
}

func TestSubjectInRecipientZone(t *testing.T) {
	p := prep(t)
	p.Other = compose.Person{Name: "Ada", Email: "ada@example.com"}
	m, err := compose.Invite(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Prep for your 1:1 with Ada — Tue 14:00"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	p.Location = tokyo
	if m, _ = compose.Invite(p); m.Subject != "Prep for your 1:1 with Ada — Tue 22:00" {
		t.Errorf("Tokyo subject %q", m.Subject)
	}
}

func TestPauseAndUnsubscribeLinks(t *testing.T) {
	for _, fn := range []func(compose.Prep) (mailer.Message, error){compose.Invite, compose.Reminder, compose.Agenda} {
		m, err := fn(prep(t))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"List-Unsubscribe":      "<https://1on1.example.com/p/TOKEN-of-ada/unsubscribe>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}
		for _, h := range m.Headers {
			if v, ok := want[h.Name]; ok && v == h.Value {
				delete(want, h.Name)
			}
		}
		if len(want) > 0 {
			t.Errorf("%s: missing headers %v in %v", m.Subject, want, m.Headers)
		}
		for _, body := range []string{m.Text, m.HTML} {
			if !strings.Contains(body, "https://1on1.example.com/p/TOKEN-of-ada/pause") ||
				!strings.Contains(body, "https://1on1.example.com/p/TOKEN-of-ada") {
				t.Errorf("%s: a body lacks the form or pause link", m.Subject)
			}
		}
	}
}

func TestMissingLinkParts(t *testing.T) {
	p := prep(t)
	p.Token = ""
	if _, err := compose.Invite(p); err == nil {
		t.Error("an invite without a token was rendered")
	}
	if _, err := compose.CalendarDisconnected(compose.Disconnected{To: compose.Person{Email: "a@example.com"}}); err == nil {
		t.Error("a notice without a reconnect URL was rendered")
	}
}

// Meetings in the weeks clocks change, in three zones: the subject and
// the body show the local time of that day, not of the week before.
func TestTimesAcrossDSTChanges(t *testing.T) {
	cases := []struct {
		zone      string
		start     time.Time
		subject   string
		abbrev    string
		wallClock string
	}{
		{"Europe/Berlin", time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC), "Mon 09:00", "CEST", "09:00–09:30"},       // after spring forward
		{"America/New_York", time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC), "Mon 10:00", "EST", "10:00–10:30"},    // after fall back
		{"Australia/Sydney", time.Date(2026, 4, 5, 23, 0, 0, 0, time.UTC), "Mon 09:00", "AEST", "09:00–09:30"},    // after fall back
		{"Europe/Berlin", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "Sun 02:30", "CET", "02:30 CEST–02:00"}, // the repeated hour
	}
	for _, c := range cases {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Fatal(err)
		}
		p := prep(t)
		p.Other = compose.Person{Email: "ada@example.com"}
		p.Start, p.End, p.Location = c.start, c.start.Add(30*time.Minute), loc
		m, err := compose.Invite(p)
		if err != nil {
			t.Fatal(err)
		}
		if want := "Prep for your 1:1 with ada@example.com — " + c.subject; m.Subject != want {
			t.Errorf("%s: subject %q, want %q", c.zone, m.Subject, want)
		}
		if !strings.Contains(m.Text, c.wallClock+" "+c.abbrev) {
			t.Errorf("%s: body lacks %q:\n%s", c.zone, c.wallClock+" "+c.abbrev, m.Text)
		}
	}
}
