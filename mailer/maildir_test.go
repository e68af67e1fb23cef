package mailer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
)

func readMaildir(t *testing.T, dir string) [][]byte {
	t.Helper()
	return (&smtptest.Server{Maildir: dir}).Messages(t)
}

func TestMaildirSender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Maildir")
	s, err := mailer.NewMaildirSender(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	o := newOutbox(t, c)
	w := newWorker(o, s, c, &logBuffer{})
	ids := map[string]bool{}
	for _, k := range []string{"a", "b", "c"} {
		ids[get(t, o, enqueue(t, o, message(k))).MessageID] = true
	}
	if n := runOnce(t, w); n != 3 {
		t.Fatalf("sent %d", n)
	}
	msgs := readMaildir(t, dir)
	if len(msgs) != 3 {
		t.Fatalf("%d files in the Maildir", len(msgs))
	}
	for _, raw := range msgs {
		if strings.Contains(string(raw), "\r\n") {
			t.Fatal("Maildir file with CRLF line ends")
		}
		p := parse(t, raw)
		if !ids[p.header.Get("Message-Id")] || p.text == "" || p.html == "" {
			t.Fatalf("message %v", p.header)
		}
		delete(ids, p.header.Get("Message-Id"))
	}
	if tmp, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(tmp) != 0 {
		t.Fatalf("%d files left in tmp", len(tmp))
	}
}

func TestMaildirSenderRetriesWhenItCannotWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Maildir")
	s, err := mailer.NewMaildirSender(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	retry, err := s.Send(context.Background(), message("a"))
	if !retry || err == nil {
		t.Fatalf("retry=%v err=%v", retry, err)
	}
}
