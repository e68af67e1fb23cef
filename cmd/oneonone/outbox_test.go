package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/sync/db"
)

// outboxFixture fills a daemon's database the way the worker does: one
// mail sent, one refused by the server (550 5.1.1) yesterday, one refused
// today, one expired unsent, and one held back by a rate limit.
func outboxFixture(t *testing.T, dir string, now time.Time) {
	t.Helper()
	d, err := db.Open(context.Background(), filepath.Join(dir, "oneonone.db"), mailerSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	clock := now.Add(-24 * time.Hour)
	o := mailstore.NewOutbox(d, func() time.Time { return clock })
	f := smtptest.StartFake(t, smtptest.FakeOptions{Script: []smtptest.Step{smtptest.Reject}})
	s, err := mailer.NewSMTPSender(mailer.SMTPConfig{Host: f.Host, Port: f.Port, TLS: mailer.TLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := mailer.NewWorker(o, s, slog.New(slog.DiscardHandler))
	w.Now = func() time.Time { return clock }
	w.Limits = mailer.Limits{PerRecipientHour: 1}
	add := func(key, to string, expires time.Time) {
		m := mailer.Message{DedupKey: key, From: "o@example.com", To: []string{to}, Subject: "s", Text: "t", Expires: expires}
		if _, _, err := o.Enqueue(context.Background(), nil, m); err != nil {
			t.Fatal(err)
		}
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	add("prep:s1:2026-03-02T13:00:00Z:nobody@example.com:invite", "nobody@example.com", time.Time{}) // 550 5.1.1
	clock = now
	f.SetScript(smtptest.Accept, smtptest.Reject)
	add("reconnect:ada:2026-03-01", "ada@example.com", time.Time{})                                // sent
	add("prep:s1:2026-03-03T13:00:00Z:grace@example.com:remind", "grace@example.com", time.Time{}) // 550 today
	add("prep:s1:2026-03-03T13:00:00Z:ada@example.com:invite", "ada@example.com", now)             // expired
	add("prep:s1:2026-03-04T13:00:00Z:ada@example.com:invite", "ada@example.com", now.Add(time.Hour))
}

func TestOutboxListAndRetry(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"o@example.com\"\n[[calendar]]\nname = \"ada\"\ntype = \"caldav\"\nurl = \"http://127.0.0.1:1/\"\n", dir)), 0o600)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	outboxFixture(t, dir, now)

	out, errOut, code := runCmd(t, now, nil, "outbox", "list", "--json", "--config", file)
	if code != 0 {
		t.Fatalf("list: exit %d\n%s", code, errOut)
	}
	var list struct {
		Messages []struct {
			ID        int64
			To        []string
			Kind      string
			State     string
			Attempts  int
			LastError string `json:"last_error"`
		}
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var got []string
	for _, m := range list.Messages {
		got = append(got, fmt.Sprintf("%s %s %s %d", m.To[0], m.Kind, m.State, m.Attempts))
	}
	want := []string{
		"ada@example.com invite deferred 0", // held back by the rate limit
		"ada@example.com invite expired 0",
		"grace@example.com remind failed 1",
		"nobody@example.com invite failed 1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("list:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if e := list.Messages[0].LastError; !strings.Contains(e, "rate limit") {
		t.Errorf("held back: last error %q", e)
	}
	if e := list.Messages[3].LastError; !strings.Contains(e, smtptest.RejectText) {
		t.Errorf("failed: last error %q", e)
	}

	out, _, code = runCmd(t, now, nil, "outbox", "list", "--config", file)
	if code != 0 || !strings.Contains(out, "LAST ERROR") || !strings.Contains(out, "nobody@example.com") || !strings.Contains(out, "expired") {
		t.Errorf("list as text: exit %d\n%s", code, out)
	}

	out, _, code = runCmd(t, now, nil, "outbox", "retry", "--since", "2026-03-02", "--config", file)
	if code != 0 || !strings.Contains(out, "Requeued 1 failed mail") {
		t.Fatalf("retry --since today: exit %d: %s", code, out)
	}
	out, _, code = runCmd(t, now, nil, "outbox", "retry", "--config", file)
	if code != 0 || !strings.Contains(out, "Requeued 1 failed mail") {
		t.Fatalf("retry the rest: exit %d: %s", code, out)
	}
	out, _, _ = runCmd(t, now, nil, "outbox", "list", "--json", "--config", file)
	if strings.Contains(out, `"state": "failed"`) || strings.Count(out, `"state": "queued"`) != 2 || !strings.Contains(out, `"attempts": 0`) {
		t.Fatalf("after retry:\n%s", out)
	}
	out, _, _ = runCmd(t, now, nil, "outbox", "retry", "--config", file)
	if !strings.Contains(out, "Requeued 0 failed mails") {
		t.Fatalf("nothing left to retry: %s", out)
	}
}

func TestOutboxUsage(t *testing.T) {
	for _, args := range [][]string{{"outbox"}, {"outbox", "resend"}, {"outbox", "retry", "--since", "yesterday"}} {
		_, errOut, code := runCmd(t, time.Now(), nil, args...)
		if code != 2 || !strings.Contains(errOut, "oneonone outbox") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
}
