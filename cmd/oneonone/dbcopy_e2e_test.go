package main

import (
	"bytes"
	"context"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/deploy/demo"
	"github.com/oneonone/oneonone/mailer/smtptest"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// TestDBCopyRoundTrip: a SQLite deployment filled by a real run (sync,
// prep mails through the outbox, both answers, the agenda written) is
// copied into PostgreSQL; the daemon on PostgreSQL then shows the same
// series and history, the forms open with their answers, and nobody gets
// a mail twice. A second copy is refused and changes nothing.
func TestDBCopyRoundTrip(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	smtp := smtptest.StartAiosmtpd(t)
	pgURL := dbtest.URL(t)
	col := srv.MakeCalendar(t, "test", "work")
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	srv.Put(t, "test", col+"1on1.ics", []byte(weeklyAt(start, "Bring the roadmap.")))
	dir := t.TempDir()
	rest := withAgendaAtOnce(aiosmtpdKeys(smtp)) + radicaleCalendar(col)

	d := startDaemonConfigIn(t, dir, rest)
	links := prepLinks(t, smtp, d.public, 2)
	answer(t, d, links["ada@example.com"], "a.topics", "Roadmap for Q3")
	answer(t, d, links["grace@example.com"], "a.topics", "My promotion case")
	client, _ := caldav.New(col, caldav.Options{Username: "test", Password: "testpass"})
	poll(t, 30*time.Second, "the agenda in Radicale", func() bool {
		s := occurrenceDescription(t, client, col+"1on1.ics", start)
		return strings.Contains(s, "Roadmap for Q3") && strings.Contains(s, "My promotion case")
	})
	// Grace's copy is not watched: the settled agenda reaches her by mail,
	// after the write. Stopping before that would leave it to the copy.
	poll(t, 30*time.Second, "the agenda mailed to Grace", func() bool {
		for _, raw := range smtp.Messages(t) {
			to, subject, text := demo.ReadMail(raw)
			if strings.Contains(to, "grace@") && strings.HasPrefix(subject, "Agenda") && strings.Contains(text, "My promotion case") {
				return true
			}
		}
		return false
	})
	d.stop()
	sent := len(smtp.Messages(t))
	pending := unsentMail(t, filepath.Join(dir, "oneonone.db"))

	config := filepath.Join(dir, "oneonone.toml")
	now := time.Now()
	cmd := func(wantCode int, args ...string) string {
		t.Helper()
		out, errOut, code := runCmd(t, now, nil, append(args, "--config", config)...)
		if code != wantCode {
			t.Fatalf("%s: exit %d, want %d\n%s%s", args, code, wantCode, out, errOut)
		}
		return out + errOut
	}
	before := map[string]string{"series": cmd(0, "series", "--json"), "history": cmd(0, "history", "--json")}

	// The same config with PostgreSQL: copy, then copy again.
	pgConfig, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(config, append(pgConfig, databaseKeys(pgURL)...), 0o600)
	sqlite := "sqlite:" + filepath.Join(dir, "oneonone.db")
	out := cmd(0, "db", "copy", "--from", sqlite)
	for _, want := range []string{"prep_requests", "prep_answers", "mailer_outbox", "history", "calendar_objects", "copied "} {
		if !strings.Contains(out, want) {
			t.Errorf("db copy does not report %s:\n%s", want, out)
		}
	}
	if again := cmd(1, "db", "copy", "--from", sqlite); !strings.Contains(again, "already copied? nothing done") {
		t.Errorf("a second copy:\n%s", again)
	}
	for what, was := range before {
		if got := cmd(0, what, "--json"); got != was {
			t.Errorf("%s --json on PostgreSQL differs from SQLite:\n%s\nwant:\n%s", what, got, was)
		}
	}

	d = startDaemonConfigIn(t, dir, rest+databaseKeys(pgURL))
	if body := get(t, d.public+"/readyz"); !strings.Contains(body, `"store":"postgresql"`) {
		t.Errorf("/readyz: %s", body)
	}
	for who, text := range map[string]string{"ada@example.com": "Roadmap for Q3", "grace@example.com": "My promotion case"} {
		link := d.public + links[who][strings.Index(links[who], "/p/"):]
		if page := get(t, link); !strings.Contains(page, text) {
			t.Errorf("%s's form on PostgreSQL does not hold the answer %q", who, text)
		}
	}
	cmd(0, "sync", "--once")
	time.Sleep(2 * time.Second) // a prep pass of the daemon on the copy
	d.stop()
	all := smtp.Messages(t)
	ids := map[string]bool{}
	for _, raw := range all {
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if id := m.Header.Get("Message-Id"); ids[id] {
			t.Errorf("message %s sent twice", id)
		} else {
			ids[id] = true
		}
	}
	if len(all) != sent+pending {
		t.Errorf("%d mails in all, want the %d sent before the copy and the %d still queued then", len(all), sent, pending)
	}
}

// unsentMail counts the outbox messages of a SQLite database that are
// not sent yet.
func unsentMail(t *testing.T, file string) int {
	t.Helper()
	d, err := db.Open(context.Background(), file, schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM mailer_outbox WHERE state IN ('queued', 'deferred', 'sending')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
