package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
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

// inboxMail is one mail aiosmtpd received: recipient address, subject, text part.
type inboxMail struct{ to, subject, text string }

// inbox is the mails aiosmtpd received so far.

func inbox(t *testing.T, smtp *smtptest.Server) []inboxMail {
	var out []inboxMail
	for _, raw := range smtp.Messages(t) {
		to, subject, text := demo.ReadMail(raw)
		if a, err := mail.ParseAddress(to); err == nil {
			to = a.Address
		}
		out = append(out, inboxMail{to, subject, text})
	}
	return out
}

func linkIn(t *testing.T, d daemonUnderTest, m inboxMail, kind string) string {
	t.Helper()
	link := regexp.MustCompile(regexp.QuoteMeta(d.public) + `/` + kind + `/[A-Za-z0-9_-]{43}`).FindString(m.text)
	if link == "" {
		t.Fatalf("no /%s/ link in the mail to %s:\n%s", kind, m.to, m.text)
	}
	return link
}

// With reveal = "after_both", Ada's answer stays out of Grace's form and
// out of the event in Radicale until Grace has answered too; Grace's pair
// page then shows it, and its exports parse and hold none of Ada's
// private answers.
func TestRevealAfterBothEndToEnd(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	smtp := smtptest.StartAiosmtpd(t)
	col := srv.MakeCalendar(t, "test", "work")
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	srv.Put(t, "test", col+"1on1.ics", []byte(weeklyAt(start, "Bring the roadmap.")))
	d := startDaemon(t, col, fmt.Sprintf("smtp_host = %q\nsmtp_port = %d\nsmtp_tls = \"none\"\n[prep]\nreveal = \"after_both\"\n", smtp.Host, smtp.Port))

	var mails []inboxMail
	waitFor(t, func() bool { mails = inbox(t, smtp); return len(mails) >= 2 })
	form, pair := map[string]string{}, map[string]string{}
	for _, m := range mails {
		form[m.to], pair[m.to] = linkIn(t, d, m, "p"), linkIn(t, d, m, "pair")
	}
	answer(t, d, form["ada@example.com"], "a.topics", "Roadmap for Q3")
	answer(t, d, form["ada@example.com"], "a.mood", "1") // private
	client := davClient(t, col)
	desc := func() string { return occurrenceDescription(t, client, col+"1on1.ics", start) }
	time.Sleep(2 * time.Second) // the agenda worker runs on every save: give it the chance to leak
	if body := get(t, form["grace@example.com"]); strings.Contains(body, "Roadmap for Q3") || !strings.Contains(body, "<form") {
		t.Fatalf("Grace's form shows Ada's answer before Grace answered:\n%s", body)
	}
	if s := desc(); strings.Contains(s, "Roadmap for Q3") {
		t.Fatalf("the event shows Ada's answer before Grace answered:\n%s", s)
	}
	if body := get(t, pair["grace@example.com"]); strings.Contains(body, "Roadmap for Q3") {
		t.Fatalf("Grace's pair page shows Ada's answer before Grace answered")
	}

	answer(t, d, form["grace@example.com"], "a.topics", "My promotion case")
	waitFor(t, func() bool {
		s := desc()
		return strings.Contains(s, "Roadmap for Q3") && strings.Contains(s, "My promotion case")
	})
	if body := get(t, form["grace@example.com"]); !strings.Contains(body, "Roadmap for Q3") {
		t.Errorf("Grace's form after both answered lacks Ada's answer")
	}
	if body := get(t, pair["grace@example.com"]); !strings.Contains(body, "Roadmap for Q3") {
		t.Errorf("Grace's pair page after both answered lacks Ada's answer:\n%s", body)
	}
	checkExports(t, pair["grace@example.com"])
}

// checkExports reads the JSON and CSV exports of a pair page with real
// parsers: Ada's answers are there, her private one is not.
func checkExports(t *testing.T, page string) {
	t.Helper()
	var x struct {
		You      string `json:"you"`
		Meetings []struct {
			Theirs []struct{ QuestionID, Visibility, Text string } `json:"their_answers"`
		} `json:"meetings"`
	}
	if err := json.Unmarshal([]byte(get(t, page+"/export.json")), &x); err != nil {
		t.Fatalf("JSON export: %v", err)
	}
	if x.You != "grace@example.com" || len(x.Meetings) == 0 {
		t.Fatalf("JSON export: %+v", x)
	}
	found := false
	for _, m := range x.Meetings {
		for _, a := range m.Theirs {
			found = found || a.Text == "Roadmap for Q3"
			if a.Visibility == "private" || a.QuestionID == "mood" {
				t.Errorf("the JSON export holds Ada's private answer %+v", a)
			}
		}
	}
	if !found {
		t.Errorf("the JSON export lacks Ada's shared answer: %+v", x)
	}
	rows, err := csv.NewReader(strings.NewReader(get(t, page+"/export.csv"))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("CSV export: %v, %d rows", err, len(rows))
	}
	for _, r := range rows[1:] {
		if r[0] == "answer" && r[4] == "ada@example.com" && (r[7] == "private" || r[5] == "mood") {
			t.Errorf("the CSV export holds Ada's private answer: %v", r)
		}
	}
	resp, err := http.Get(page + "/export.md")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("Markdown export: %v", err)
	}
	resp.Body.Close()
}

// Ada has three 1:1s tomorrow: one digest for her, and Grace, Linus and
// Edsger each get their invite as ever.
func TestDigestEndToEnd(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	smtp := smtptest.StartAiosmtpd(t)
	col := srv.MakeCalendar(t, "test", "work")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	y, mo, dd := time.Now().In(berlin).AddDate(0, 0, 1).Date()
	others := []struct{ uid, email, name string }{
		{"e2e-grace", "grace@example.com", "Grace Hopper"},
		{"e2e-linus", "linus@example.com", "Linus Torvalds"},
		{"e2e-edsger", "edsger@example.com", "Edsger Dijkstra"},
	}
	for i, o := range others {
		at := time.Date(y, mo, dd, 9+i, 0, 0, 0, berlin)
		ics := strings.NewReplacer("UID:e2e-1on1", "UID:"+o.uid, "grace@example.com", o.email, "Grace Hopper", o.name).Replace(weeklyAt(at, "Weekly."))
		srv.Put(t, "test", col+o.uid+".ics", []byte(ics))
	}
	// Two days ahead, so that tomorrow morning is due whenever the test runs.
	d := startDaemon(t, col, fmt.Sprintf("smtp_host = %q\nsmtp_port = %d\nsmtp_tls = \"none\"\n[prep]\nsend_before = \"48h\"\n", smtp.Host, smtp.Port))

	var mails []inboxMail
	waitFor(t, func() bool { mails = inbox(t, smtp); return len(mails) >= 4 })
	time.Sleep(time.Second) // nothing more may come
	mails = inbox(t, smtp)
	by := map[string][]inboxMail{}
	for _, m := range mails {
		by[m.to] = append(by[m.to], m)
	}
	ada := by["ada@example.com"]
	day := time.Date(y, mo, dd, 12, 0, 0, 0, berlin).Format("Monday")
	if len(mails) != 4 || len(ada) != 1 || ada[0].subject != "Your 3 1:1s on "+day {
		t.Fatalf("%d mails, Ada's: %+v", len(mails), ada)
	}
	for i, o := range others {
		if !strings.Contains(ada[0].text, fmt.Sprintf("%02d:00–%02d:30 CE", 9+i, 9+i)) || !strings.Contains(ada[0].text, o.name) {
			t.Errorf("the digest lacks the 1:1 with %s:\n%s", o.name, ada[0].text)
		}
		got := by[o.email]
		if len(got) != 1 || !strings.HasPrefix(got[0].subject, "Prep for your 1:1 with Ada Lovelace — ") {
			t.Errorf("%s's mails: %+v", o.email, got)
			continue
		}
		linkIn(t, d, got[0], "p")
	}
	links := regexp.MustCompile(regexp.QuoteMeta(d.public)+`/p/[A-Za-z0-9_-]{43}`).FindAllString(ada[0].text, -1)
	if len(links) != 3 {
		t.Fatalf("%d form links in the digest", len(links))
	}
	for i, l := range links {
		if body := get(t, l); !strings.Contains(body, "Prep for your 1:1 with "+others[i].name) {
			t.Errorf("digest link %d does not open the 1:1 with %s", i+1, others[i].name)
		}
	}
}

func davClient(t *testing.T, col string) *caldav.Client {
	t.Helper()
	c, err := caldav.New(col, caldav.Options{Username: "test", Password: "testpass"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
