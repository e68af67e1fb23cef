package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/deploy/demo"
	"github.com/oneonone/oneonone/mailer/smtptest"
)

// TestPrepEndToEnd is the product's promise, against real Radicale and a
// real SMTP server: a weekly 1:1 starting soon → both people get a mail →
// both answer through their links → the occurrence in Radicale holds the
// agenda and the organizer's own description → a third party edits the
// description in between → an answer changes → nothing is lost.
func TestPrepEndToEnd(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	smtp := smtptest.StartAiosmtpd(t)
	col := srv.MakeCalendar(t, "test", "work")
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	srv.Put(t, "test", col+"1on1.ics", []byte(weeklyAt(start, "Bring the roadmap.")))
	d := startDaemon(t, col, fmt.Sprintf("smtp_host = %q\nsmtp_port = %d\nsmtp_tls = \"none\"\n", smtp.Host, smtp.Port))

	var msgs [][]byte
	waitFor(t, func() bool { msgs = smtp.Messages(t); return len(msgs) >= 2 })
	links := map[string]string{}
	for _, raw := range msgs {
		to, _, text := demo.ReadMail(raw)
		if addr, err := mail.ParseAddress(to); err == nil {
			to = addr.Address
		}
		link := regexp.MustCompile(regexp.QuoteMeta(d.public) + `/p/[A-Za-z0-9_-]+`).FindString(text)
		if link == "" {
			t.Fatalf("no prep link in the mail to %s:\n%s", to, text)
		}
		links[to] = link
	}
	if len(links) != 2 || links["ada@example.com"] == "" || links["grace@example.com"] == "" {
		t.Fatalf("mails went to %v, want ada and grace", links)
	}
	answer(t, d, links["ada@example.com"], "a.topics", "Roadmap for Q3")
	answer(t, d, links["grace@example.com"], "a.topics", "My promotion case")

	client, _ := caldav.New(col, caldav.Options{Username: "test", Password: "testpass"})
	desc := func() string { return occurrenceDescription(t, client, col+"1on1.ics", start) }
	waitFor(t, func() bool {
		s := desc()
		return strings.Contains(s, "Roadmap for Q3") && strings.Contains(s, "My promotion case")
	})
	if s := desc(); !strings.Contains(s, "Bring the roadmap.") {
		t.Errorf("the organizer's own text was lost:\n%s", s)
	}

	// A third party edits the description outside the block.
	obj, _ := client.Get(context.Background(), col+"1on1.ics")
	edited := strings.Replace(string(obj.Data), "Bring the roadmap.", "Bring the roadmap. And the budget.", -1)
	if _, err := client.Put(context.Background(), col+"1on1.ics", []byte(edited), obj.ETag); err != nil {
		t.Fatal(err)
	}
	answer(t, d, links["ada@example.com"], "a.topics", "Roadmap for Q4")
	waitFor(t, func() bool { return strings.Contains(desc(), "Roadmap for Q4") })
	s := desc()
	if !strings.Contains(s, "And the budget.") || strings.Contains(s, "Roadmap for Q3") || strings.Count(s, "Roadmap for Q4") != 1 {
		t.Errorf("after a third party's edit and a changed answer:\n%s", s)
	}
	t.Logf("the occurrence's description in Radicale:\n%s", s)
	for _, link := range links {
		tokenNowhere(t, d.dir, link[strings.LastIndex(link, "/")+1:])
	}
}

type daemonUnderTest struct {
	public, dir string
	stop        func() // ends the daemon and waits for it; also at cleanup
}

// startDaemon runs `oneonone run` in-process on a free port against the
// collection, with the given [mail] settings.
func startDaemon(t *testing.T, col, mailSettings string) daemonUnderTest {
	t.Helper()
	return startDaemonWith(t, fmt.Sprintf("[[calendar]]\nname = \"ada\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\nemail = \"ada@example.com\"\n", col), mailSettings)
}

// startDaemonWith runs `oneonone run` in-process on a free port with the
// given calendars and [mail] settings.
func startDaemonWith(t *testing.T, calendars, mailSettings string) daemonUnderTest {
	t.Helper()
	return startDaemonConfigIn(t, t.TempDir(), withAgendaAtOnce(mailSettings)+calendars)
}

// startDaemonIn is startDaemonWith on the state directory dir, so that a
// test can stop the daemon and start another one on the same database.
func startDaemonIn(t *testing.T, dir, calendars, mailSettings string) daemonUnderTest {
	t.Helper()
	return startDaemonConfigIn(t, dir, withAgendaAtOnce(mailSettings)+calendars)
}

// withAgendaAtOnce adds agendaAtOnce's keys to settings, into its [prep]
// table when it has one (a table may appear only once).
func withAgendaAtOnce(settings string) string {
	if strings.Contains(settings, "[prep]\n") {
		return strings.Replace(settings, "[prep]\n", agendaAtOnce, 1)
	}
	return settings + agendaAtOnce
}

// startDaemonConfig runs `oneonone run` in-process on a free port with
// rest after the [mail] table's from.
func startDaemonConfig(t *testing.T, rest string) daemonUnderTest {
	t.Helper()
	return startDaemonConfigIn(t, t.TempDir(), rest)
}

// startDaemonConfigIn is startDaemonConfig on the state directory dir.
func startDaemonConfigIn(t *testing.T, dir, rest string) daemonUnderTest {
	t.Helper()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	os.WriteFile(filepath.Join(dir, "secrets.key"), bytes.Repeat([]byte("s"), 32), 0o400)
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\nlisten = %q\npublic_url = \"http://%s\"\n[mail]\nfrom = \"1:1 prep <prep@example.com>\"\n%s",
		dir, addr, addr, rest)), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	logs := &syncBuffer{}
	go func() {
		e := &env{stdout: io.Discard, stderr: logs, now: time.Now, getenv: func(string) string { return "" }}
		done <- runArgs(ctx, e, []string{"run", "--config", file})
	}()
	var once gosync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("daemon exit %d\n%s", code, logs.String())
			}
			if t.Failed() {
				t.Logf("daemon log:\n%s", logs.String())
			}
		})
	}
	t.Cleanup(stop)
	return daemonUnderTest{public: "http://" + addr, dir: dir, stop: stop}
}

func weeklyAt(start time.Time, description string) string {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	s := start.In(berlin)
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone test//EN\r\nBEGIN:VEVENT\r\nUID:e2e-1on1\r\nDTSTAMP:20260101T000000Z\r\n" +
		"DTSTART;TZID=Europe/Berlin:" + s.Format("20060102T150405") + "\r\nDTEND;TZID=Europe/Berlin:" + s.Add(30*time.Minute).Format("20060102T150405") + "\r\n" +
		"RRULE:FREQ=WEEKLY\r\nSUMMARY:Ada / Grace\r\nDESCRIPTION:" + description + "\r\n" +
		"ORGANIZER;CN=Ada Lovelace:mailto:ada@example.com\r\nATTENDEE;CN=Ada Lovelace;PARTSTAT=ACCEPTED:mailto:ada@example.com\r\n" +
		"ATTENDEE;CN=Grace Hopper;PARTSTAT=ACCEPTED:mailto:grace@example.com\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:1:1\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// answer posts one answer the way the browser form does.
func answer(t *testing.T, d daemonUnderTest, link, field, text string) {
	t.Helper()
	if body := get(t, link); !strings.Contains(body, "<form") {
		t.Fatalf("GET %s: no form:\n%s", link, body)
	}
	req, _ := http.NewRequest("POST", link, strings.NewReader(url.Values{field: {text}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", d.public)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %s", link, resp.Status)
	}
}

// occurrenceDescription is the description of the first occurrence, as
// Radicale holds it now.
func occurrenceDescription(t *testing.T, c *caldav.Client, href string, start time.Time) string {
	obj, err := c.Get(context.Background(), href)
	if err != nil {
		t.Fatal(err)
	}
	series, _ := calendars.ReadICS([]calendars.File{{Name: href, Data: obj.Data}}, calendars.ReadOptions{})
	if len(series) != 1 {
		t.Fatalf("%d series in %s", len(series), href)
	}
	occ := series[0].Expand(start.Add(-time.Minute), start.Add(time.Minute))
	if len(occ) != 1 {
		t.Fatalf("%d occurrences at %s", len(occ), start)
	}
	return occ[0].Description
}

// tokenNowhere checks that a raw link token is in no file of the state
// directory (the database, its WAL, anything).
func tokenNowhere(t *testing.T, dir, token string) {
	t.Helper()
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(token)) {
			t.Errorf("the raw link token is stored in %s", filepath.Base(p))
		}
		return nil
	})
}
