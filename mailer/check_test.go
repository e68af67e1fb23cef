package mailer_test

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
)

// An SMTP server that answers passes; one that is not there fails with
// the keys to check; a Maildir needs no check.
func TestCheckSender(t *testing.T) {
	f := smtptest.StartFake(t, smtptest.FakeOptions{})
	up, err := mailer.NewSMTPSender(mailer.SMTPConfig{Host: f.Host, Port: f.Port, TLS: mailer.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	if err := mailer.CheckSender(context.Background(), up); err != nil {
		t.Errorf("a server that answers: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	down, err := mailer.NewSMTPSender(mailer.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: mailer.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	if err := mailer.CheckSender(context.Background(), down); err == nil || !strings.Contains(err.Error(), "check [mail] smtp_host") {
		t.Errorf("no server: %v", err)
	}
	dir, err := mailer.NewMaildirSender(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := mailer.CheckSender(context.Background(), dir); err != nil {
		t.Errorf("maildir: %v", err)
	}
}
