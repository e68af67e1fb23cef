package mailer_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
)

func sendOnce(t *testing.T, s mailer.Sender) (bool, error) {
	t.Helper()
	m := message("prep:1:ada:invite")
	m.MessageID = "<0123456789abcdef@example.com>"
	m.Created = t0
	return s.Send(context.Background(), m)
}

func TestSMTPSenderClassifiesReplies(t *testing.T) {
	cases := []struct {
		step      smtptest.Step
		retry     bool
		errHas    string // "" for success
		delivered int
	}{
		{smtptest.Accept, false, "", 1},
		{smtptest.Busy, true, "450", 0},
		{smtptest.Shutdown, true, "421", 0},
		{smtptest.Reject, false, smtptest.RejectText, 0},
		{smtptest.DropInData, true, "send", 0},
		// Accepted, then RSET fails: go-mail reports an error, but the message is sent.
		{smtptest.AcceptThenDrop, false, "", 1},
	}
	for _, tc := range cases {
		f := smtptest.StartFake(t, smtptest.FakeOptions{Script: []smtptest.Step{tc.step}})
		retry, err := sendOnce(t, plainSender(t, f))
		if retry != tc.retry || (err == nil) != (tc.errHas == "") || (err != nil && !strings.Contains(err.Error(), tc.errHas)) {
			t.Errorf("step %d: retry=%v err=%v; want retry=%v and an error with %q", tc.step, retry, err, tc.retry, tc.errHas)
		}
		if got := len(f.Received()); got != tc.delivered {
			t.Errorf("step %d: %d messages received, want %d", tc.step, got, tc.delivered)
		}
	}
}

func TestSMTPSenderDeliversWhatWasRendered(t *testing.T) {
	f := smtptest.StartFake(t, smtptest.FakeOptions{})
	if _, err := sendOnce(t, plainSender(t, f)); err != nil {
		t.Fatal(err)
	}
	got := f.Received()
	if len(got) != 1 || got[0].From != "oneonone@example.com" || len(got[0].To) != 1 || got[0].To[0] != "ada@example.com" {
		t.Fatalf("envelope: %+v", got)
	}
	p := parse(t, got[0].Data)
	if p.header.Get("Message-Id") != "<0123456789abcdef@example.com>" || p.text == "" || p.html == "" {
		t.Fatalf("message: %v", p.header)
	}
}

func TestSMTPSenderRetriesWhenUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	s, err := mailer.NewSMTPSender(mailer.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: mailer.TLSNone, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	retry, err := sendOnce(t, s)
	if !retry || err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("retry=%v err=%v", retry, err)
	}
}

func TestSMTPSenderInjectionDoesNotAddRecipients(t *testing.T) {
	f := smtptest.StartFake(t, smtptest.FakeOptions{})
	m := message("prep:1:ada:invite")
	m.Subject = "1:1\r\nBcc: victim@evil.example"
	m.To = []string{mailer.FormatAddress("Ada\r\nCc: victim@evil.example", "ada@example.com")}
	if _, err := plainSender(t, f).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := f.Received()
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "ada@example.com" {
		t.Fatalf("recipients: %+v", got)
	}
	if h := parse(t, got[0].Data).header; h.Get("Bcc") != "" || h.Get("Cc") != "" {
		t.Fatalf("injected header: %v", h)
	}
}

func sender(t *testing.T, cfg mailer.SMTPConfig) *mailer.SMTPSender {
	t.Helper()
	cfg.Timeout = 5 * time.Second
	s, err := mailer.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSMTPSenderSTARTTLSAndAuth(t *testing.T) {
	serverTLS, clientTLS := smtptest.SelfSigned(t)
	f := smtptest.StartFake(t, smtptest.FakeOptions{TLS: serverTLS, Username: "oneonone", Password: "s3cret"})
	cfg := mailer.SMTPConfig{Host: f.Host, Port: f.Port, TLS: mailer.TLSStartTLS, TLSConfig: clientTLS,
		Username: "oneonone", Password: "s3cret"}

	if retry, err := sendOnce(t, sender(t, cfg)); err != nil {
		t.Fatalf("accepted login: retry=%v err=%v", retry, err)
	}
	if got := f.Received(); len(got) != 1 || !got[0].TLS || !got[0].Authenticated {
		t.Fatalf("received: %+v", got)
	}

	wrong := cfg
	wrong.Password = "wrong-password"
	retry, err := sendOnce(t, sender(t, wrong))
	if !retry || !errors.Is(err, mailer.ErrServerConfig) || !strings.Contains(err.Error(), "check smtp_username and smtp_password_file") ||
		!strings.Contains(err.Error(), "535") || strings.Contains(err.Error(), "wrong-password") {
		t.Fatalf("refused login: retry=%v err=%v", retry, err)
	}

	anonymous := cfg
	anonymous.Username, anonymous.Password = "", ""
	retry, err = sendOnce(t, sender(t, anonymous))
	if !retry || !errors.Is(err, mailer.ErrServerConfig) || !strings.Contains(err.Error(), "smtp_username") {
		t.Fatalf("no login: retry=%v err=%v", retry, err)
	}

	if err := sender(t, cfg).Check(context.Background()); err != nil {
		t.Fatalf("check: %v", err)
	}
	if err := sender(t, wrong).Check(context.Background()); err == nil || !strings.Contains(err.Error(), "smtp_password_file") {
		t.Fatalf("check with a wrong password: %v", err)
	}

	untrusted := cfg
	untrusted.TLSConfig = nil // the system roots do not know the test CA
	retry, err = sendOnce(t, sender(t, untrusted))
	if !retry || err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusted certificate: retry=%v err=%v", retry, err)
	}
	if n := len(f.Received()); n != 1 {
		t.Fatalf("%d messages received, want 1", n)
	}
}

func TestSMTPSenderImplicitTLS(t *testing.T) {
	serverTLS, clientTLS := smtptest.SelfSigned(t)
	f := smtptest.StartFake(t, smtptest.FakeOptions{TLS: serverTLS, Implicit: true, Username: "u", Password: "p"})
	s := sender(t, mailer.SMTPConfig{Host: f.Host, Port: f.Port, TLS: mailer.TLSImplicit, TLSConfig: clientTLS,
		Username: "u", Password: "p"})
	if _, err := sendOnce(t, s); err != nil {
		t.Fatal(err)
	}
	if got := f.Received(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("received: %+v", got)
	}
}

func TestSMTPSenderNeverFallsBackToPlaintext(t *testing.T) {
	f := smtptest.StartFake(t, smtptest.FakeOptions{}) // offers no STARTTLS
	s := sender(t, mailer.SMTPConfig{Host: f.Host, Port: f.Port, TLS: mailer.TLSStartTLS, Username: "u", Password: "p"})
	if _, err := sendOnce(t, s); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("err=%v", err)
	}
	if f.Transactions() != 0 {
		t.Fatal("sent over a plaintext connection")
	}
}

func TestNewSMTPSenderChecksConfig(t *testing.T) {
	for _, cfg := range []mailer.SMTPConfig{{}, {Host: "h", TLS: "ssl"}, {Host: "h", Port: 70000}} {
		if _, err := mailer.NewSMTPSender(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	s, err := mailer.NewSMTPSender(mailer.SMTPConfig{Host: "smtp.example.com", TLS: mailer.TLSImplicit})
	if err != nil || s.Addr() != "smtp.example.com:465" {
		t.Fatalf("%v %v", s, err)
	}
}
