package mailer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
	"github.com/oneonone/oneonone/mailer/store"
)

// firstWait is the wait after a first failure with Rand() = 0: half the 30 s base.
const firstWait = 15 * time.Second

type workerEnv struct {
	clock  *testkit.Clock
	outbox *store.Outbox
	fake   *smtptest.Fake
	worker *mailer.Worker
	logs   *logBuffer
}

func newEnv(t *testing.T, script ...smtptest.Step) *workerEnv {
	c := newClock()
	o := newOutbox(t, c)
	f := smtptest.StartFake(t, smtptest.FakeOptions{Script: script})
	logs := &logBuffer{}
	return &workerEnv{clock: c, outbox: o, fake: f, worker: newWorker(o, plainSender(t, f), c, logs), logs: logs}
}

func messageIDs(t *testing.T, rs []smtptest.Received) []string {
	var ids []string
	for _, r := range rs {
		ids = append(ids, parse(t, r.Data).header.Get("Message-Id"))
	}
	return ids
}

func TestWorkerDeliversOnce(t *testing.T) {
	e := newEnv(t)
	id := enqueue(t, e.outbox, message("prep:1:ada:invite"))
	if n := runOnce(t, e.worker); n != 1 {
		t.Fatalf("sent %d", n)
	}
	runOnce(t, e.worker)
	e.clock.Advance(24 * time.Hour)
	runOnce(t, e.worker)
	m := get(t, e.outbox, id)
	if m.State != mailer.StateSent || m.Attempts != 1 || !m.Sent.Equal(t0) {
		t.Fatalf("message: %+v", m)
	}
	if ids := messageIDs(t, e.fake.Received()); len(ids) != 1 || ids[0] != m.MessageID {
		t.Fatalf("received %v, want once %s", ids, m.MessageID)
	}
	if !strings.Contains(e.logs.String(), "mail sent") {
		t.Fatalf("logs: %s", e.logs)
	}
}

func TestWorkerRetriesWithTheSameMessageID(t *testing.T) {
	for _, step := range []smtptest.Step{smtptest.Busy, smtptest.Shutdown, smtptest.DropInData} {
		e := newEnv(t, step)
		id := enqueue(t, e.outbox, message("prep:1:ada:invite"))
		runOnce(t, e.worker)
		m := get(t, e.outbox, id)
		if m.State != mailer.StateDeferred || m.Attempts != 1 || !m.NextAttempt.Equal(t0.Add(firstWait)) || m.LastError == "" {
			t.Fatalf("step %d: after the first attempt: %+v", step, m)
		}
		e.clock.Advance(firstWait - time.Second)
		if n := runOnce(t, e.worker); n != 0 {
			t.Fatalf("step %d: retried %d before its time", step, n)
		}
		e.clock.Advance(time.Second)
		runOnce(t, e.worker)
		m = get(t, e.outbox, id)
		if m.State != mailer.StateSent || m.Attempts != 2 {
			t.Fatalf("step %d: after the second attempt: %+v", step, m)
		}
		ids := messageIDs(t, e.fake.Received())
		if len(ids) != 1 || ids[0] != m.MessageID {
			t.Fatalf("step %d: received %v, want once %s", step, ids, m.MessageID)
		}
		for _, seen := range messageIDs(t, e.fake.Seen()) {
			if seen != m.MessageID {
				t.Fatalf("step %d: an attempt carried Message-ID %s, want %s", step, seen, m.MessageID)
			}
		}
	}
}

func TestWorkerFailsOnPermanentRejection(t *testing.T) {
	e := newEnv(t, smtptest.Reject)
	id := enqueue(t, e.outbox, message("prep:1:ada:invite"))
	runOnce(t, e.worker)
	m := get(t, e.outbox, id)
	if m.State != mailer.StateFailed || m.Attempts != 1 || !strings.Contains(m.LastError, smtptest.RejectText) {
		t.Fatalf("message: %+v", m)
	}
	e.clock.Advance(time.Hour)
	runOnce(t, e.worker)
	if e.fake.Transactions() != 1 || len(e.fake.Received()) != 0 {
		t.Fatalf("transactions %d, received %d", e.fake.Transactions(), len(e.fake.Received()))
	}
	if !strings.Contains(e.logs.String(), "mail failed permanently") {
		t.Fatalf("logs: %s", e.logs)
	}
}

func TestWorkerGivesUp(t *testing.T) {
	e := newEnv(t, smtptest.Busy, smtptest.Busy, smtptest.Busy, smtptest.Busy)
	e.worker.Backoff.MaxAttempts = 3
	id := enqueue(t, e.outbox, message("prep:1:ada:invite"))
	for range 3 {
		runOnce(t, e.worker)
		e.clock.Advance(time.Hour)
	}
	m := get(t, e.outbox, id)
	if m.State != mailer.StateFailed || m.Attempts != 3 || !strings.Contains(m.LastError, "gave up after 3 attempts") ||
		!strings.Contains(m.LastError, "450") {
		t.Fatalf("message: %+v", m)
	}

	e = newEnv(t, smtptest.Busy, smtptest.Busy)
	id = enqueue(t, e.outbox, message("prep:2:ada:invite"))
	runOnce(t, e.worker)
	e.clock.Advance(72 * time.Hour)
	runOnce(t, e.worker)
	if m := get(t, e.outbox, id); m.State != mailer.StateFailed || m.Attempts != 2 {
		t.Fatalf("after three days: %+v", m)
	}
}

func TestWorkerLogsAFailureOnlyWhenItChanges(t *testing.T) {
	e := newEnv(t, smtptest.Busy, smtptest.Busy, smtptest.Busy, smtptest.Shutdown)
	id := enqueue(t, e.outbox, message("prep:1:ada:invite"))
	for range 5 {
		runOnce(t, e.worker)
		e.clock.Advance(time.Hour)
	}
	logs := e.logs.String()
	if n := strings.Count(logs, `msg="mail deferred"`); n != 2 {
		t.Fatalf("%d deferral lines, want 2 (450 once, then 421):\n%s", n, logs)
	}
	if get(t, e.outbox, id).State != mailer.StateSent {
		t.Fatal("not sent")
	}
	for _, secret := range []string{"three questions", "https://1on1.example.com/p/token", "Prep for your 1:1"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("logs contain %q:\n%s", secret, logs)
		}
	}
}

func TestBackoff(t *testing.T) {
	b := mailer.DefaultBackoff
	cases := []struct {
		attempts int
		r        float64
		want     time.Duration
	}{
		{1, 0, 15 * time.Second}, {1, 1, 30 * time.Second}, {2, 0.5, 45 * time.Second},
		{8, 0, 30 * time.Minute}, {8, 1, time.Hour}, {40, 1, time.Hour}, {5000, 0.5, 45 * time.Minute},
	}
	for _, tc := range cases {
		if got := b.Delay(tc.attempts, tc.r); got != tc.want {
			t.Errorf("Delay(%d, %v) = %v, want %v", tc.attempts, tc.r, got, tc.want)
		}
	}
	if b.GiveUp(99, t0, t0.Add(71*time.Hour)) || !b.GiveUp(100, t0, t0) || !b.GiveUp(1, t0, t0.Add(72*time.Hour)) {
		t.Error("GiveUp")
	}
}
