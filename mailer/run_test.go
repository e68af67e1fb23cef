package mailer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/store"
)

// start runs w until the test ends or the returned stop is called; stop
// returns Run's error and fails the test if Run takes over a second to stop.
func start(t *testing.T, w *mailer.Worker) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	stopped := false
	stop = func() error {
		t.Helper()
		cancel()
		if stopped {
			return nil
		}
		stopped = true
		select {
		case err := <-done:
			return err
		case <-time.After(time.Second):
			t.Fatal("Run did not stop within a second of cancellation")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return stop
}

func waitState(t *testing.T, o *store.Outbox, id int64, want mailer.State) mailer.Message {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		m := get(t, o, id)
		if m.State == want {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("message %d: state %s, want %s", id, m.State, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRunRecoversMessagesLeftSending(t *testing.T) {
	e := newEnv(t)
	id := enqueue(t, e.outbox, message("prep:1:ada:invite"))
	if err := e.outbox.MarkSending(context.Background(), id); err != nil {
		t.Fatal(err)
	} // … and the daemon was killed here
	stop := start(t, e.worker)
	m := waitState(t, e.outbox, id, mailer.StateSent)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if ids := messageIDs(t, e.fake.Received()); len(ids) != 1 || ids[0] != m.MessageID {
		t.Fatalf("received %v", ids)
	}
	if m.Attempts != 2 || !strings.Contains(e.logs.String(), "put back in the queue") {
		t.Fatalf("attempts %d, logs:\n%s", m.Attempts, e.logs)
	}
}

func TestRunWakesOnNotify(t *testing.T) {
	e := newEnv(t)
	e.worker.Poll = time.Hour
	start(t, e.worker)
	time.Sleep(20 * time.Millisecond) // let it go to sleep with nothing to do
	id := enqueue(t, e.outbox, message("prep:1:ada:invite"))
	e.worker.Notify()
	e.worker.Notify() // never blocks
	waitState(t, e.outbox, id, mailer.StateSent)
}

func TestRunFinishesTheMessageInFlight(t *testing.T) {
	c := newClock()
	o := newOutbox(t, c)
	started, release := make(chan struct{}), make(chan struct{})
	s := mailer.SenderFunc(func(context.Context, mailer.Message) (bool, error) {
		close(started)
		<-release // the server is still answering when the daemon is told to stop
		return false, nil
	})
	w := newWorker(o, s, c, &logBuffer{})
	a := enqueue(t, o, message("a"))
	b := enqueue(t, o, message("b"))
	stop := start(t, w)
	<-started
	go func() { time.Sleep(20 * time.Millisecond); close(release) }()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if m := get(t, o, a); m.State != mailer.StateSent {
		t.Fatalf("in flight: %+v", m)
	}
	if m := get(t, o, b); m.State != mailer.StateQueued || m.Attempts != 0 {
		t.Fatalf("not started: %+v", m)
	}
}

func TestRunPutsAnInterruptedSendBack(t *testing.T) {
	c := newClock()
	o := newOutbox(t, c)
	started := make(chan struct{})
	s := mailer.SenderFunc(func(ctx context.Context, _ mailer.Message) (bool, error) {
		close(started)
		<-ctx.Done() // e.g. still dialling
		return true, ctx.Err()
	})
	logs := &logBuffer{}
	w := newWorker(o, s, c, logs)
	id := enqueue(t, o, message("a"))
	stop := start(t, w)
	<-started
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	m := get(t, o, id)
	if m.State != mailer.StateDeferred || !m.NextAttempt.Equal(c.Now()) {
		t.Fatalf("interrupted: %+v", m)
	}
	if strings.Contains(logs.String(), "mail deferred") {
		t.Fatalf("a shutdown was logged as a failure:\n%s", logs)
	}
}
