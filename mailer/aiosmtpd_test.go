package mailer_test

import (
	"strings"
	"testing"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
)

// TestEndToEndWithAiosmtpd sends through a real, independent SMTP server
// (Python's aiosmtpd) and reads what it stored.
func TestEndToEndWithAiosmtpd(t *testing.T) {
	srv := smtptest.StartAiosmtpd(t)
	c := newClock()
	o := newOutbox(t, c)
	logs := &logBuffer{}
	w := newWorker(o, sender(t, mailer.SMTPConfig{Host: srv.Host, Port: srv.Port, TLS: mailer.TLSNone}), c, logs)

	want := map[string]string{} // Message-ID → recipient
	var ids []int64
	for _, who := range []string{"ada", "grace", "edsger"} {
		m := message("prep:1:" + who + ":invite")
		m.To = []string{mailer.FormatAddress(who, who+"@example.com")}
		id := enqueue(t, o, m)
		ids = append(ids, id)
		want[get(t, o, id).MessageID] = who + "@example.com"
	}
	stop := start(t, w)
	for _, id := range ids {
		waitState(t, o, id, mailer.StateSent)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	msgs := srv.Messages(t)
	if len(msgs) != 3 {
		t.Fatalf("%d messages in the Maildir, want 3; logs:\n%s", len(msgs), logs)
	}
	for _, raw := range msgs {
		p := parse(t, raw)
		id := p.header.Get("Message-Id")
		rcpt, ok := want[id]
		if !ok {
			t.Fatalf("unexpected or repeated Message-ID %q", id)
		}
		delete(want, id)
		if !strings.Contains(p.header.Get("To"), rcpt) || !strings.Contains(p.text, "three questions") ||
			!strings.Contains(p.html, "<a href=") {
			t.Fatalf("message %s: to %q text %q html %q", id, p.header.Get("To"), p.text, p.html)
		}
	}
}
