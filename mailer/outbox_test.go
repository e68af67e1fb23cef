package mailer_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/sync/db"
)

func TestEnqueueDedup(t *testing.T) {
	o := newOutbox(t, newClock())
	ctx := context.Background()
	id1, created, err := o.Enqueue(ctx, nil, message("prep:1:ada:invite"))
	if err != nil || !created {
		t.Fatalf("first enqueue: created=%v err=%v", created, err)
	}
	again := message("prep:1:ada:invite")
	again.Subject = "a different subject"
	id2, created, err := o.Enqueue(ctx, nil, again)
	if err != nil || created || id2 != id1 {
		t.Fatalf("second enqueue: id=%d (first %d) created=%v err=%v", id2, id1, created, err)
	}
	if got := get(t, o, id1).Subject; got != message("").Subject {
		t.Fatalf("second enqueue changed the message: subject %q", got)
	}
	mustCounts(t, o, map[mailer.State]int{mailer.StateQueued: 1})
}

func TestEnqueueInCallerTransaction(t *testing.T) {
	o := newOutbox(t, newClock())
	ctx := context.Background()

	tx, err := o.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.Enqueue(ctx, tx, message("prep:1:ada:invite")); err != nil {
		t.Fatal(err)
	}
	tx.Rollback() // the prep request failed: its mail must vanish with it
	mustCounts(t, o, map[mailer.State]int{})

	tx, err = o.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.Enqueue(ctx, tx, message("prep:1:ada:invite")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	mustCounts(t, o, map[mailer.State]int{mailer.StateQueued: 1})
}

func TestEnqueueRejectsInvalidMessages(t *testing.T) {
	o := newOutbox(t, newClock())
	cases := map[string]func(*mailer.Message){
		"no dedup key":       func(m *mailer.Message) { m.DedupKey = "" },
		"no recipient":       func(m *mailer.Message) { m.To = nil },
		"bad recipient":      func(m *mailer.Message) { m.To = []string{"not an address"} },
		"line break in from": func(m *mailer.Message) { m.From = "Eve\r\nBcc: victim@example.net <eve@example.com>" },
		"no text":            func(m *mailer.Message) { m.Text = "" },
		"header name colon":  func(m *mailer.Message) { m.Headers = []mailer.Header{{Name: "X-A:b", Value: "v"}} },
		"header value CRLF":  func(m *mailer.Message) { m.Headers = []mailer.Header{{Name: "X-A", Value: "v\r\nBcc: x@example.net"}} },
		"reserved header":    func(m *mailer.Message) { m.Headers = []mailer.Header{{Name: "bcc", Value: "x@example.net"}} },
		"bad message id":     func(m *mailer.Message) { m.MessageID = "<no-at-sign>" },
	}
	for name, mutate := range cases {
		m := message("prep:1:ada:invite")
		mutate(&m)
		if _, _, err := o.Enqueue(context.Background(), nil, m); err == nil {
			t.Errorf("%s: enqueued", name)
		}
	}
	mustCounts(t, o, map[mailer.State]int{})
}

func TestMessageIDGeneratedOnceFromTheFromDomain(t *testing.T) {
	c := newClock()
	o := newOutbox(t, c)
	id := enqueue(t, o, message("prep:1:ada:invite"))
	m := get(t, o, id)
	if !regexp.MustCompile(`^<[0-9a-f]{32}@example\.com>$`).MatchString(m.MessageID) {
		t.Fatalf("Message-ID %q", m.MessageID)
	}
	if !m.Created.Equal(t0) || !m.NextAttempt.Equal(t0) || m.State != mailer.StateQueued || m.Attempts != 0 {
		t.Fatalf("stored message: %+v", m)
	}
	if len(m.Headers) != 2 || m.Headers[1].Value != "List-Unsubscribe=One-Click" || m.To[0] != `"Ada Lovelace" <ada@example.com>` {
		t.Fatalf("stored fields: headers %v to %v", m.Headers, m.To)
	}
	other := get(t, o, enqueue(t, o, message("prep:1:grace:invite")))
	if other.MessageID == m.MessageID {
		t.Fatal("two messages share a Message-ID")
	}
}

func TestTransitions(t *testing.T) {
	c := newClock()
	o := newOutbox(t, c)
	ctx := context.Background()
	a := enqueue(t, o, message("a"))
	b := enqueue(t, o, message("b"))

	if err := o.MarkSending(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := o.MarkSending(ctx, a); !errors.Is(err, mailer.ErrNotDue) {
		t.Fatalf("claiming twice: %v", err)
	}
	if err := o.MarkDeferred(ctx, a, t0.Add(time.Minute), errors.New("450 busy")); err != nil {
		t.Fatal(err)
	}
	due, err := o.Due(ctx, c.Now(), 10)
	if err != nil || len(due) != 1 || due[0].ID != b {
		t.Fatalf("due now: %v %v", due, err)
	}
	next, ok, err := o.NextDue(ctx)
	if err != nil || !ok || !next.Equal(t0) {
		t.Fatalf("next due: %v %v %v", next, ok, err)
	}
	c.Advance(time.Minute)
	if due, _ := o.Due(ctx, c.Now(), 10); len(due) != 2 {
		t.Fatalf("due after a minute: %d messages", len(due))
	}
	if err := o.MarkSent(ctx, a); err == nil {
		t.Fatal("marked sent without being sent")
	}
	mustMark(t, o.MarkSending(ctx, a), o.MarkSent(ctx, a), o.MarkSending(ctx, b), o.MarkFailed(ctx, b, errors.New("550 no")))
	mustCounts(t, o, map[mailer.State]int{mailer.StateSent: 1, mailer.StateFailed: 1})

	ma, mb := get(t, o, a), get(t, o, b)
	if ma.Attempts != 2 || ma.LastError != "450 busy" || !ma.Sent.Equal(c.Now()) {
		t.Fatalf("sent message: %+v", ma)
	}
	if mb.Attempts != 1 || mb.LastError != "550 no" || !mb.Sent.IsZero() {
		t.Fatalf("failed message: %+v", mb)
	}
	if _, ok, _ := o.NextDue(ctx); ok {
		t.Fatal("next due with nothing queued")
	}
}

func mustMark(t *testing.T, errs ...error) {
	t.Helper()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func TestRecoverPutsSendingBackToDeferred(t *testing.T) {
	c := newClock()
	o := newOutbox(t, c)
	ctx := context.Background()
	a := enqueue(t, o, message("a"))
	enqueue(t, o, message("b"))
	mustMark(t, o.MarkSending(ctx, a)) // then the process dies
	n, err := o.Recover(ctx)
	if err != nil || n != 1 {
		t.Fatalf("recover: %d %v", n, err)
	}
	m := get(t, o, a)
	if m.State != mailer.StateDeferred || !strings.Contains(m.LastError, "interrupted") || m.Attempts != 1 {
		t.Fatalf("recovered: %+v", m)
	}
	mustCounts(t, o, map[mailer.State]int{mailer.StateQueued: 1, mailer.StateDeferred: 1})
}

func TestListPages(t *testing.T) {
	o := newOutbox(t, newClock())
	ctx := context.Background()
	var ids []int64
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		ids = append(ids, enqueue(t, o, message(k)))
	}
	mustMark(t, o.MarkSending(ctx, ids[1]), o.MarkFailed(ctx, ids[1], errors.New("550")))
	page, err := o.List(ctx, mailer.ListOptions{Limit: 2})
	if err != nil || len(page) != 2 || page[0].ID != ids[4] || page[1].ID != ids[3] {
		t.Fatalf("first page: %v %v", page, err)
	}
	page, err = o.List(ctx, mailer.ListOptions{Limit: 10, BeforeID: page[1].ID})
	if err != nil || len(page) != 3 || page[0].ID != ids[2] {
		t.Fatalf("second page: %v %v", page, err)
	}
	failed, err := o.List(ctx, mailer.ListOptions{State: mailer.StateFailed})
	if err != nil || len(failed) != 1 || failed[0].DedupKey != "b" {
		t.Fatalf("failed: %v %v", failed, err)
	}
}

func TestSchemaMigratesOnce(t *testing.T) {
	d := openDB(t)
	if err := db.Migrate(context.Background(), d, mailerSchema); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM schema_migrations WHERE owner = 'mailer'`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("mailer migrations recorded: %d %v", n, err)
	}
}
