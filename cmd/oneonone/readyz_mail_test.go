package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/sync/db"
)

// An SMTP server that will not relay for us makes the daemon not ready,
// in the server's words, while the mail stays queued.
func TestReadyzSaysWhenTheSMTPServerRefusesUs(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	col := srv.MakeCalendar(t, "test", "work")
	smtp := smtptest.StartFake(t, smtptest.FakeOptions{Script: []smtptest.Step{smtptest.RelayDenied}})
	dir := t.TempDir()
	d, err := db.Open(context.Background(), filepath.Join(dir, "oneonone.db"), mailerSchema)
	if err != nil {
		t.Fatal(err)
	}
	m := mailer.Message{DedupKey: "test:1", From: "o@example.com", To: []string{"grace@example.com"}, Subject: "s", Text: "t"}
	id, _, err := mailstore.NewOutbox(d, time.Now).Enqueue(context.Background(), nil, m)
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(filepath.Join(dir, "secrets.key"), bytes.Repeat([]byte("k"), 32), 0o400)
	os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\nlisten = %q\npublic_url = \"http://%s\"\n[mail]\nfrom = \"o@example.com\"\nsmtp_host = %q\nsmtp_port = %d\nsmtp_tls = \"none\"\n[[calendar]]\nname = \"ada\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\n",
		dir, addr, addr, smtp.Host, smtp.Port, col)), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	errOut := &syncBuffer{}
	go func() {
		e := &env{stdout: &bytes.Buffer{}, stderr: errOut, now: time.Now, getenv: func(string) string { return "" }}
		done <- runArgs(ctx, e, []string{"run", "--config", file})
	}()
	var once gosync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	defer stop()
	var body string
	waitFor(t, func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		body = b.String()
		return resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(body, smtptest.RelayText)
	})
	if !strings.Contains(body, `"database":"ok"`) || !strings.Contains(body, "check smtp_host") {
		t.Errorf("readyz: %s", body)
	}
	if metrics := get(t, "http://"+addr+"/metrics"); !strings.Contains(metrics, "oneonone_mail_healthy 0") {
		t.Errorf("metrics lack oneonone_mail_healthy 0")
	}
	if n := strings.Count(errOut.String(), "mail paused"); n != 1 {
		t.Errorf("%d ERROR lines about the refusal, want 1:\n%s", n, errOut)
	}
	stop()
	d, err = db.Open(context.Background(), filepath.Join(dir, "oneonone.db"), mailerSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got, err := mailstore.NewOutbox(d, time.Now).Get(context.Background(), id); err != nil || got.State != mailer.StateDeferred {
		t.Fatalf("the refused mail: %+v %v", got, err)
	}
}
