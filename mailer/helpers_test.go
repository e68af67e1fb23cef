package mailer_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
	"github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// mailerSchema is the outbox's tables, as the daemon migrates them.
var mailerSchema = db.Schema{Owner: store.MigrationsOwner, FS: store.Migrations, Dir: "migrations"}

// newClock is the clock of the outbox and the worker, at t0.
func newClock() *testkit.Clock { return testkit.NewClock(t0) }

func openDB(t testing.TB) *sql.DB {
	t.Helper()
	return openDBWith(t, mailerSchema)
}

func openDBWith(t testing.TB, s db.Schema) *sql.DB {
	t.Helper()
	d := dbtest.OpenEnv(t, s)
	return d
}

func newOutbox(t testing.TB, c *testkit.Clock) *store.Outbox {
	t.Helper()
	return store.NewOutbox(openDB(t), c.Now)
}

func message(key string) mailer.Message {
	return mailer.Message{
		DedupKey: key,
		From:     mailer.FormatAddress("1:1 prep", "oneonone@example.com"),
		To:       []string{mailer.FormatAddress("Ada Lovelace", "ada@example.com")},
		ReplyTo:  "noreply@example.com",
		Subject:  "Prep for your 1:1 with Grace",
		Text:     "Hello Ada,\n\nthree questions: https://1on1.example.com/p/token\n",
		HTML:     "<p>Hello Ada,</p><p><a href=\"https://1on1.example.com/p/token\">three questions</a></p>",
		Headers: []mailer.Header{
			{Name: "List-Unsubscribe", Value: "<https://1on1.example.com/unsubscribe/token>"},
			{Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click"},
		},
	}
}

func enqueue(t testing.TB, o *store.Outbox, m mailer.Message) int64 {
	t.Helper()
	id, created, err := o.Enqueue(context.Background(), nil, m)
	if err != nil {
		t.Fatal(err)
	}
	if !created {
		t.Fatalf("enqueue %s: not created", m.DedupKey)
	}
	return id
}

func get(t testing.TB, o *store.Outbox, id int64) mailer.Message {
	t.Helper()
	m, err := o.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// plainSender talks to a fake server without TLS or AUTH.
func plainSender(t testing.TB, f *smtptest.Fake) *mailer.SMTPSender {
	t.Helper()
	s, err := mailer.NewSMTPSender(mailer.SMTPConfig{Host: f.Host, Port: f.Port, TLS: mailer.TLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// logBuffer collects the worker's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newWorker(o *store.Outbox, s mailer.Sender, c *testkit.Clock, logs *logBuffer) *mailer.Worker {
	w := mailer.NewWorker(o, s, slog.New(slog.NewTextHandler(logs, nil)))
	w.Now = c.Now
	w.Rand = func() float64 { return 0 } // the shortest wait: Base/2 after the first failure
	return w
}

func runOnce(t testing.TB, w *mailer.Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func mustCounts(t testing.TB, o *store.Outbox, want map[mailer.State]int) {
	t.Helper()
	got, err := o.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range mailer.States {
		if got[s] != want[s] {
			t.Fatalf("counts: got %v, want %v", got, fmt.Sprint(want))
		}
	}
}
