package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/mailer/smtptest"
)

// withSubject returns the mails whose subject starts with prefix, by recipient.
func withSubject(ms []sentMail, prefix string) map[string][]sentMail {
	out := map[string][]sentMail{}
	for _, m := range ms {
		if strings.HasPrefix(m.subject, prefix) {
			out[m.to] = append(out[m.to], m)
		}
	}
	return out
}

func sentMails(t *testing.T, smtp *smtptest.Server, public string) []sentMail {
	return parseMails(smtp.Messages(t), public)
}

// A 1:1 that ended → each person is asked whether it happened → Ada says
// it did, with next steps → the next meeting's prep form and agenda in
// Radicale carry them, and `history` shows her confirmation.
func TestFollowUpEndToEnd(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	smtp := smtptest.StartAiosmtpd(t)
	col := srv.MakeCalendar(t, "test", "work")
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Minute) // ended 90 minutes ago
	srv.Put(t, "test", col+"1on1.ics", []byte(weeklyAt(start, "Weekly.")))
	// Invites for next week's meeting go out at once too.
	d := startDaemon(t, col, smtpKeys(smtp.Host, smtp.Port)+"[prep]\nsend_before = \"170h\"\n")

	var follow, invites map[string][]sentMail
	waitFor(t, func() bool {
		ms := sentMails(t, smtp, d.public)
		follow, invites = withSubject(ms, "Did your 1:1 with"), withSubject(ms, "Prep for your 1:1")
		return len(follow) == 2 && len(invites) == 2
	})
	if m := follow["grace@example.com"]; len(m) != 1 || !strings.HasPrefix(m[0].subject, "Did your 1:1 with Ada Lovelace happen?") {
		t.Fatalf("follow-up to Grace: %+v", m)
	}
	link := regexp.MustCompile(regexp.QuoteMeta(d.public) + `/f/[A-Za-z0-9_-]{43}`).FindString(follow["ada@example.com"][0].text)
	// The follow-up links Ada's own pair page, which opens.
	pairLink := regexp.MustCompile(regexp.QuoteMeta(d.public) + `/pair/[A-Za-z0-9_-]{43}`).FindString(follow["ada@example.com"][0].text)
	if pairLink == "" || !strings.Contains(get(t, pairLink), "Grace Hopper") {
		t.Errorf("the follow-up to Ada links no working pair page (%q):\n%s", pairLink, follow["ada@example.com"][0].text)
	}
	if page := get(t, link); !strings.Contains(page, "Did your 1:1 with Grace Hopper happen?") {
		t.Fatalf("follow-up page:\n%s", page)
	}
	if code, err := postForm(noRedirect(), d.public, link, url.Values{"outcome": {"held"}, "next_steps": {"Send the Q3 plan to Grace"}}); code != http.StatusSeeOther {
		t.Fatalf("saving the follow-up: %d %v", code, err)
	}
	if pairLink != "" && !strings.Contains(get(t, pairLink), "Send the Q3 plan to Grace") {
		t.Errorf("Ada's pair page does not show the next steps she agreed")
	}

	next := start.AddDate(0, 0, 7)
	prepLink := invites["grace@example.com"][0].link
	if page := get(t, prepLink); !strings.Contains(page, "Send the Q3 plan to Grace") {
		t.Errorf("next meeting's prep form without the next steps:\n%s", page)
	}
	answer(t, d, prepLink, "a.topics", "Hiring")
	// The agenda is delivered once both have answered (or at the cut-off).
	answer(t, d, invites["ada@example.com"][0].link, "a.topics", "Roadmap")
	client, _ := caldav.New(col, caldav.Options{Username: "test", Password: "testpass"})
	waitFor(t, func() bool {
		s := occurrenceDescription(t, client, col+"1on1.ics", next)
		return strings.Contains(s, "Hiring") && strings.Contains(s, "Send the Q3 plan to Grace")
	})

	out, errOut, code := runCmd(t, time.Now(), nil, "history", "--json", "--config", filepath.Join(d.dir, "oneonone.toml"))
	var h struct {
		Events []struct {
			Kind         string
			RecurrenceID *string  `json:"recurrence_id"`
			ConfirmedBy  []string `json:"confirmed_by"`
		}
	}
	if err := json.Unmarshal([]byte(out), &h); code != 0 || err != nil {
		t.Fatalf("history: %d %v %s", code, err, errOut)
	}
	key := start.UTC().Format(time.RFC3339)
	found := false
	for _, e := range h.Events {
		found = found || (e.Kind == "held" && e.RecurrenceID != nil && *e.RecurrenceID == key && strings.Join(e.ConfirmedBy, ",") == "ada@example.com")
	}
	if !found {
		t.Errorf("no held event of %s confirmed by Ada:\n%s", key, out)
	}
	tokenNowhere(t, d.dir, link[strings.LastIndex(link, "/")+1:])
}

// Two upcoming occurrences cancelled in a row → one nudge to each person,
// and none again on the next cycle (here: the next start of the daemon).
func TestNudgeEndToEnd(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	smtp := smtptest.StartAiosmtpd(t)
	col := srv.MakeCalendar(t, "test", "work")
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	ics := weeklyAt(start, "Weekly.")
	srv.Put(t, "test", col+"1on1.ics", []byte(ics))
	dir := t.TempDir()
	cal, mailCfg := caldavCalendar("ada", col, "ada@example.com"), smtpKeys(smtp.Host, smtp.Port)
	nudges := func() map[string][]sentMail { return withSubject(sentMails(t, smtp, ""), "Your last 2 1:1s with") }

	d := startDaemonIn(t, dir, cal, mailCfg)
	waitFor(t, func() bool { return len(withSubject(sentMails(t, smtp, d.public), "Prep for your 1:1")) == 2 })
	d.stop()

	berlin, _ := time.LoadLocation("Europe/Berlin")
	exdate := "EXDATE;TZID=Europe/Berlin:" + start.In(berlin).Format("20060102T150405") + "," + start.AddDate(0, 0, 7).In(berlin).Format("20060102T150405") + "\r\n"
	srv.Put(t, "test", col+"1on1.ics", []byte(strings.Replace(ics, "RRULE:FREQ=WEEKLY\r\n", "RRULE:FREQ=WEEKLY\r\n"+exdate, 1)))
	d = startDaemonIn(t, dir, cal, mailCfg)
	waitFor(t, func() bool { return len(nudges()) == 2 })
	for who, ms := range nudges() {
		if len(ms) != 1 || !strings.Contains(ms[0].text, "of your last 2 1:1s, 0 took place and 2 did not") || !strings.Contains(ms[0].text, "/f/") || !strings.Contains(ms[0].text, "/pair/") {
			t.Errorf("nudge to %s: %+v", who, ms)
		}
	}
	d.stop()

	d = startDaemonIn(t, dir, cal, mailCfg)
	waitFor(t, func() bool { return strings.Contains(get(t, d.public+"/metrics"), "oneonone_syncs_total{") })
	time.Sleep(2 * time.Second) // the prep loop's pass after that sync
	if n := nudges(); len(n["ada@example.com"]) != 1 || len(n["grace@example.com"]) != 1 {
		t.Errorf("nudges after the next cycle: %+v", n)
	}
}
