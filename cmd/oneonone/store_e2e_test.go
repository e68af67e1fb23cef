package main

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/mailer/smtptest"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// TestDaemonOnPostgreSQL is the product's promise with [database] url set,
// against real PostgreSQL, Radicale and aiosmtpd: invites out, both
// answers in, the agenda in the event; /readyz names the store; then
// every command works on the same database, and no SQLite file appears.
func TestDaemonOnPostgreSQL(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	smtp := smtptest.StartAiosmtpd(t)
	pgURL := dbtest.URL(t)
	col := srv.MakeCalendar(t, "test", "work")
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	srv.Put(t, "test", col+"1on1.ics", []byte(weeklyAt(start, "Bring the roadmap.")))
	dir := t.TempDir()
	d := startDaemonConfigIn(t, dir, withAgendaAtOnce(aiosmtpdKeys(smtp))+radicaleCalendar(col)+databaseKeys(pgURL))

	links := prepLinks(t, smtp, d.public, 2)
	answer(t, d, links["ada@example.com"], "a.topics", "Roadmap for Q3")
	answer(t, d, links["grace@example.com"], "a.topics", "My promotion case")
	client, _ := caldav.New(col, caldav.Options{Username: "test", Password: "testpass"})
	poll(t, 30*time.Second, "the agenda in Radicale", func() bool {
		s := occurrenceDescription(t, client, col+"1on1.ics", start)
		return strings.Contains(s, "Roadmap for Q3") && strings.Contains(s, "My promotion case")
	})
	if body := get(t, d.public+"/readyz"); !strings.Contains(body, `"store":"postgresql"`) {
		t.Errorf("/readyz does not name the store: %s", body)
	}
	d.stop()
	if _, err := os.Stat(filepath.Join(dir, "oneonone.db")); err == nil {
		t.Error("a SQLite file was made although [database] url is set")
	}

	config := filepath.Join(dir, "oneonone.toml")
	cmd := func(args ...string) string {
		t.Helper()
		out, errOut, code := runCmd(t, time.Now(), nil, append(args, "--config", config)...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	cmd("sync", "--once")
	var series struct {
		Series []struct {
			UID      string `json:"uid"`
			OneOnOne bool   `json:"one_on_one"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(cmd("series", "--json")), &series); err != nil || len(series.Series) != 1 ||
		series.Series[0].UID != "e2e-1on1" || !series.Series[0].OneOnOne {
		t.Errorf("series: %+v %v", series, err)
	}
	var history struct {
		Events []struct {
			Kind string   `json:"kind"`
			Pair []string `json:"pair"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(cmd("history", "--json")), &history); err != nil || len(history.Events) == 0 ||
		history.Events[0].Kind != "created" || strings.Join(history.Events[0].Pair, ",") != "ada@example.com,grace@example.com" {
		t.Errorf("history: %+v %v", history, err)
	}
	if out := cmd("export", "--pair", "ada@example.com,grace@example.com"); !strings.Contains(out, `"series_uid": "e2e-1on1"`) {
		t.Errorf("export:\n%s", out)
	}
	cmd("outbox", "list")
	check := cmd("check")
	if want := "database postgresql " + pgURL + ": ok"; !strings.Contains(check, want) {
		t.Errorf("check does not say it reached PostgreSQL (%q):\n%s", want, check)
	}
}

func aiosmtpdKeys(s *smtptest.Server) string {
	return fmt.Sprintf("smtp_host = %q\nsmtp_port = %d\nsmtp_tls = \"none\"\n", s.Host, s.Port)
}

func radicaleCalendar(col string) string {
	return fmt.Sprintf("[[calendar]]\nname = \"ada\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\nemail = \"ada@example.com\"\n", col)
}

func databaseKeys(url string) string { return fmt.Sprintf("[database]\nurl = %q\n", url) }

// prepLinks waits for n mails with a prep link and returns the link of
// each recipient.
func prepLinks(t *testing.T, smtp *smtptest.Server, public string, n int) map[string]string {
	t.Helper()
	links := map[string]string{}
	linkRE := regexp.MustCompile(regexp.QuoteMeta(public) + `/p/[A-Za-z0-9_-]+`)
	poll(t, 30*time.Second, fmt.Sprintf("%d prep mails", n), func() bool {
		for _, raw := range smtp.Messages(t) {
			to, _, text := readMail(raw)
			if addr, err := mail.ParseAddress(to); err == nil {
				to = addr.Address
			}
			if link := linkRE.FindString(text); link != "" {
				links[to] = link
			}
		}
		return len(links) >= n
	})
	return links
}
