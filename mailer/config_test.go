package mailer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
	"github.com/oneonone/oneonone/mailer/store"
)

// A server that refuses our login or will not relay for us says the
// configuration is wrong, not this message: every due mail stays queued,
// the worker tells /readyz why and pauses (one attempt, not one per
// message), logs one ERROR line per change of the server's words, and
// sends everything once the server accepts again.
func TestRefusedConfigurationKeepsMailQueued(t *testing.T) {
	cases := []struct {
		name  string
		steps []smtptest.Step
		words string
	}{
		{"530 authentication required", []smtptest.Step{smtptest.AuthRequired, smtptest.AuthRequired}, "530"},
		{"550 5.7.1 relay denied", []smtptest.Step{smtptest.RelayDenied, smtptest.RelayDenied}, smtptest.RelayText},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, c.steps...)
			ids := enqueueTo(t, e.outbox, "ada@example.com", "grace@example.com", "linus@example.com")
			runOnce(t, e.worker)
			e.assertPaused(t, ids, c.words, 1)
			e.clock.Advance(10 * time.Minute)
			runOnce(t, e.worker) // the second refusal, same words: no new ERROR line
			e.assertPaused(t, ids, c.words, 2)
			e.clock.Advance(10 * time.Minute)
			runOnce(t, e.worker) // the server accepts now
			e.assertAllSent(t, ids)
		})
	}
}

// 535: the password is wrong until the server's side is fixed.
func TestRefusedLoginResumesWhenFixed(t *testing.T) {
	serverTLS, clientTLS := smtptest.SelfSigned(t)
	f := smtptest.StartFake(t, smtptest.FakeOptions{TLS: serverTLS, Username: "oneonone", Password: "new-secret"})
	s, err := mailer.NewSMTPSender(mailer.SMTPConfig{Host: f.Host, Port: f.Port, TLS: mailer.TLSStartTLS,
		TLSConfig: clientTLS, Username: "oneonone", Password: "old-secret", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	o := newOutbox(t, c)
	logs := &logBuffer{}
	e := &workerEnv{clock: c, outbox: o, fake: f, worker: newWorker(o, s, c, logs), logs: logs}
	ids := enqueueTo(t, o, "ada@example.com", "grace@example.com")
	runOnce(t, e.worker)
	e.assertPaused(t, ids, "535", 0)
	f.SetPassword("old-secret")
	e.clock.Advance(10 * time.Minute)
	runOnce(t, e.worker)
	e.assertAllSent(t, ids)
}

// 550 5.1.1 is about one recipient: that message fails, mail stays healthy.
func TestUnknownMailboxFailsOnlyThatMessage(t *testing.T) {
	e := newEnv(t, smtptest.Reject)
	ids := enqueueTo(t, e.outbox, "nobody@example.com", "grace@example.com")
	runOnce(t, e.worker)
	if m := get(t, e.outbox, ids[0]); m.State != mailer.StateFailed || !strings.Contains(m.LastError, "5.1.1") {
		t.Fatalf("unknown mailbox: %+v", m)
	}
	if m := get(t, e.outbox, ids[1]); m.State != mailer.StateSent {
		t.Fatalf("the next message: %+v", m)
	}
	if h := e.worker.Health(); h != "" {
		t.Fatalf("health after a 5.1.1: %q", h)
	}
}

func enqueueTo(t *testing.T, o *store.Outbox, to ...string) []int64 {
	t.Helper()
	var ids []int64
	for _, addr := range to {
		m := message("test:" + addr)
		m.To = []string{addr}
		ids = append(ids, enqueue(t, o, m))
	}
	return ids
}

// assertPaused checks that nothing was sent or failed, the health names
// the server's words, the server saw transactions MAIL FROMs (0 when the
// login itself failed), and one ERROR line was logged.
func (e *workerEnv) assertPaused(t *testing.T, ids []int64, words string, transactions int) {
	t.Helper()
	for _, id := range ids {
		m := get(t, e.outbox, id)
		if m.State != mailer.StateQueued && m.State != mailer.StateDeferred {
			t.Fatalf("message %d is %s, want still queued: %+v", id, m.State, m)
		}
	}
	if first := get(t, e.outbox, ids[0]); !strings.Contains(first.LastError, words) {
		t.Fatalf("last error %q does not have the server's words %q", first.LastError, words)
	}
	if h := e.worker.Health(); !strings.Contains(h, words) {
		t.Fatalf("health %q does not have the server's words %q", h, words)
	}
	if n := e.fake.Transactions(); n != transactions {
		t.Fatalf("%d transactions, want %d: one try per pause, not one per message", n, transactions)
	}
	if n := runOnce(t, e.worker); n != 0 {
		t.Fatalf("sent %d while paused", n)
	}
	if n := strings.Count(e.logs.String(), "level=ERROR"); n != 1 {
		t.Fatalf("%d ERROR lines, want 1:\n%s", n, e.logs)
	}
}

func (e *workerEnv) assertAllSent(t *testing.T, ids []int64) {
	t.Helper()
	for _, id := range ids {
		if m := get(t, e.outbox, id); m.State != mailer.StateSent {
			t.Fatalf("message %d after the fix: %+v", id, m)
		}
	}
	if h := e.worker.Health(); h != "" {
		t.Fatalf("health after the fix: %q", h)
	}
	if !strings.Contains(e.logs.String(), "mail sending works again") {
		t.Fatalf("no recovery line:\n%s", e.logs)
	}
}
