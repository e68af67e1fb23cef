package prep_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/prep"
)

// The owner gets a mail naming the calendar, the reason and the page to
// connect again; a retry on the same (UTC) day is the same mail, the next
// day a new one.
func TestReconnectMailOncePerDay(t *testing.T) {
	s := prep.Settings{From: "oneonone@example.com", PublicURL: "https://1on1.example.com"}
	at := time.Date(2026, 3, 2, 23, 30, 0, 0, time.FixedZone("CET", 3600))
	msg, err := prep.ReconnectMail(s, "grace", "grace@example.com", "access revoked", at)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(msg.To, []string{"<grace@example.com>"}) || !strings.Contains(msg.Text, "https://1on1.example.com/connect/google") ||
		!strings.Contains(msg.Text, "grace") {
		t.Errorf("mail to %v:\n%s", msg.To, msg.Text)
	}
	again, _ := prep.ReconnectMail(s, "grace", "grace@example.com", "access revoked", at.Add(20*time.Minute))
	next, _ := prep.ReconnectMail(s, "grace", "grace@example.com", "access revoked", at.Add(24*time.Hour))
	if again.DedupKey != msg.DedupKey || next.DedupKey == msg.DedupKey {
		t.Errorf("dedup keys %q, %q (same UTC day), %q (next day)", msg.DedupKey, again.DedupKey, next.DedupKey)
	}
}

// outboxFunc is an Outbox that hands each mail to a function.
type outboxFunc func(mailer.Message) error

func (f outboxFunc) Enqueue(_ context.Context, _ *sql.Tx, m mailer.Message) (int64, bool, error) {
	return 1, true, f(m)
}

// TestReconnectsAsk: the mail is queued and the outbox worker woken; a
// queue that refuses it is an error naming the calendar, and nobody is
// woken for nothing.
func TestReconnectsAsk(t *testing.T) {
	var queued []mailer.Message
	woken := 0
	r := prep.Reconnects{Settings: prep.Settings{From: "oneonone@example.com", PublicURL: "https://1on1.example.com"},
		Now: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }, Notify: func() { woken++ },
		Outbox: outboxFunc(func(m mailer.Message) error { queued = append(queued, m); return nil })}
	if err := r.Ask(context.Background(), "grace", "grace@example.com", "access revoked"); err != nil || len(queued) != 1 || woken != 1 ||
		queued[0].DedupKey != "reconnect:grace:2026-03-02" {
		t.Errorf("err %v, queued %d (%+v), woken %d", err, len(queued), queued, woken)
	}
	r.Outbox = outboxFunc(func(mailer.Message) error { return errors.New("database is locked") })
	if err := r.Ask(context.Background(), "grace", "grace@example.com", "access revoked"); err == nil || !strings.Contains(err.Error(), "grace") || woken != 1 {
		t.Errorf("err %v, woken %d", err, woken)
	}
}
