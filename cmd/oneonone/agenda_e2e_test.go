package main

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/deploy/demo"
	"github.com/oneonone/oneonone/mailer/smtptest"
)

// copiesBed is Radicale with Ada's and Grace's own calendars, each with
// their copy of a weekly 1:1 that Ada organizes (3 hours away), and
// aiosmtpd; the daemon watches the calendars named.
type copiesBed struct {
	t       *testing.T
	smtp    *smtptest.Server
	d       daemonUnderTest
	start   time.Time
	cols    map[string]string
	clients map[string]*caldav.Client
	links   map[string]string
}

func newCopiesBed(t *testing.T, watched ...string) *copiesBed {
	dav := caldavtest.StartRadicale(t, caldavtest.User{Name: "ada", Password: "pw"}, caldavtest.User{Name: "grace", Password: "pw"})
	b := &copiesBed{t: t, smtp: smtptest.StartAiosmtpd(t), start: time.Now().Add(3 * time.Hour).Truncate(time.Minute),
		cols: map[string]string{}, clients: map[string]*caldav.Client{}}
	for _, user := range []string{"ada", "grace"} {
		b.cols[user] = dav.MakeCalendar(t, user, "work")
		dav.Put(t, user, b.cols[user]+"1on1.ics", []byte(weeklyAt(b.start, "Bring the roadmap.")))
		b.clients[user], _ = caldav.New(b.cols[user], caldav.Options{Username: user, Password: "pw"})
	}
	// The real timing, but no quiet period (the tick comes every 30 s).
	cfg := fmt.Sprintf("smtp_host = %q\nsmtp_port = %d\nsmtp_tls = \"none\"\n[prep]\nagenda_quiet = \"0s\"\n", b.smtp.Host, b.smtp.Port)
	for _, user := range watched {
		cfg += fmt.Sprintf("[[calendar]]\nname = %q\ntype = \"caldav\"\nurl = %q\nusername = %q\npassword = \"pw\"\nemail = \"%s@example.com\"\n",
			user, b.cols[user], user, user)
	}
	b.d = startDaemonConfig(t, cfg)
	waitFor(t, func() bool { b.links = b.invites(); return len(b.links) == 2 })
	return b
}

// invites returns the prep link mailed to each person.
func (b *copiesBed) invites() map[string]string {
	links := map[string]string{}
	re := regexp.MustCompile(regexp.QuoteMeta(b.d.public) + `/p/[A-Za-z0-9_-]+`)
	for _, raw := range b.smtp.Messages(b.t) {
		to, subject, text := demo.ReadMail(raw)
		if addr, err := mail.ParseAddress(to); err == nil {
			to = addr.Address
		}
		if l := re.FindString(text); l != "" && !strings.HasPrefix(subject, "Agenda") {
			links[to] = l
		}
	}
	return links
}

// agendaMails counts the agenda mails each person got.
func (b *copiesBed) agendaMails() map[string]int {
	n := map[string]int{}
	for _, raw := range b.smtp.Messages(b.t) {
		to, subject, _ := demo.ReadMail(raw)
		if addr, err := mail.ParseAddress(to); err == nil {
			to = addr.Address
		}
		if strings.HasPrefix(subject, "Agenda for") {
			n[to]++
		}
	}
	return n
}

func (b *copiesBed) answer(who, text string) {
	answer(b.t, b.d, b.links[who+"@example.com"], "a.topics", text)
}

// waitDescription waits until user's copy of the occurrence holds every
// text.
func (b *copiesBed) waitDescription(user string, texts ...string) {
	b.t.Helper()
	desc := ""
	if !eventually(40*time.Second, func() bool {
		desc = occurrenceDescription(b.t, b.clients[user], b.cols[user]+"1on1.ics", b.start)
		for _, s := range texts {
			if !strings.Contains(desc, s) {
				return false
			}
		}
		return true
	}) {
		b.t.Fatalf("%s's copy lacks %q:\n%s", user, texts, desc)
	}
}

// settledMails waits for the agenda mails to stop changing (the outbox
// sends them right after the write), then returns them.
func (b *copiesBed) settledMails(want map[string]int) map[string]int {
	var got map[string]int
	eventually(10*time.Second, func() bool { got = b.agendaMails(); return fmt.Sprint(got) == fmt.Sprint(want) })
	time.Sleep(2 * time.Second)
	return b.agendaMails()
}

// TestAgendaOrganizerNotWatched: only Grace's calendar is watched; Ada,
// the organizer, has her own copy oneonone cannot see. Grace's copy gets
// the agenda; Ada gets it by mail exactly once when both have answered,
// once more for a later edit, and never again for more edits. Grace gets
// no mail.
func TestAgendaOrganizerNotWatched(t *testing.T) {
	b := newCopiesBed(t, "grace")
	b.answer("ada", "Roadmap for Q3")
	b.answer("grace", "My promotion case")
	b.waitDescription("grace", "Roadmap for Q3", "My promotion case")
	want := map[string]int{"ada@example.com": 1}
	if got := b.settledMails(want); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("agenda mails once both answered: %v, want %v", got, want)
	}
	b.answer("ada", "Roadmap for Q4")
	b.waitDescription("grace", "Roadmap for Q4")
	want = map[string]int{"ada@example.com": 2}
	if got := b.settledMails(want); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("agenda mails after a later edit: %v, want %v", got, want)
	}
	b.answer("ada", "Roadmap for 2027")
	b.waitDescription("grace", "Roadmap for 2027")
	if got := b.settledMails(want); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("agenda mails after more edits: %v, want %v", got, want)
	}
	if strings.Contains(occurrenceDescription(t, b.clients["ada"], b.cols["ada"]+"1on1.ics", b.start), "Roadmap") {
		t.Error("Ada's copy, which is not watched, was written")
	}
}

// TestAgendaBothCopiesWatched: with both calendars watched, both copies
// get the agenda and nobody gets it by mail.
func TestAgendaBothCopiesWatched(t *testing.T) {
	b := newCopiesBed(t, "ada", "grace")
	b.answer("ada", "Roadmap for Q3")
	b.answer("grace", "My promotion case")
	for _, user := range []string{"ada", "grace"} {
		b.waitDescription(user, "Roadmap for Q3", "My promotion case", "Bring the roadmap.")
	}
	if got := b.settledMails(map[string]int{}); len(got) != 0 {
		t.Errorf("agenda mails although both copies are written: %v", got)
	}
}
