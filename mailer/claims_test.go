package mailer_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/store"
)

// sharedOutbox is one instance's view of an outbox that several share.
func sharedOutbox(o *store.Outbox, c *testkit.Clock, instance string) *store.Outbox {
	return &store.Outbox{DB: o.DB, Now: c.Now, Instance: instance}
}

// A message being sent is claimed by one instance: another cannot claim
// it, nor put it back while the claim lasts (its sender lives). The
// claimant restarting puts it back at once; an instance that never comes
// back loses it when the claim expires, and another sends it.
func TestOutboxClaimsAcrossInstances(t *testing.T) {
	c := newClock()
	a := sharedOutbox(newOutbox(t, c), c, "a")
	b := sharedOutbox(a, c, "b")
	ctx := context.Background()
	x := enqueue(t, a, message("x"))
	y := enqueue(t, a, message("y"))
	mustMark(t, a.MarkSending(ctx, x), a.MarkSending(ctx, y))
	if err := b.MarkSending(ctx, x); !errors.Is(err, mailer.ErrNotDue) {
		t.Fatalf("b claimed a message a is sending: %v", err)
	}
	if n, err := b.Recover(ctx); err != nil || n != 0 {
		t.Fatalf("b put back %d of a's live claims (%v), want none", n, err)
	}
	mustMark(t, a.MarkSent(ctx, x))

	// a is killed while sending y. Until its claim expires y stays put.
	c.Advance(store.DefaultClaimFor - time.Second)
	if n, _ := b.Recover(ctx); n != 0 {
		t.Fatalf("b put y back before a's claim expired")
	}
	c.Advance(2 * time.Second)
	if n, err := b.Recover(ctx); err != nil || n != 1 {
		t.Fatalf("after a's claim expired b put back %d (%v), want y", n, err)
	}
	mustMark(t, b.MarkSending(ctx, y))
	if m := get(t, b, y); m.Attempts != 2 {
		t.Errorf("y after the takeover: %d attempts, want 2 (a's and b's)", m.Attempts)
	}

	// b restarts while sending y: its own claim comes back at once.
	if n, err := sharedOutbox(b, c, "b").Recover(ctx); err != nil || n != 1 {
		t.Fatalf("b restarted put back %d of its own claims (%v), want 1", n, err)
	}
}

// countingSender accepts every message and counts each one it was given.
type countingSender struct {
	mu   sync.Mutex
	sent map[string]int
}

func (s *countingSender) Send(_ context.Context, m mailer.Message) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent[m.DedupKey]++
	return false, nil
}

// Three workers of three instances on one outbox, running at the same
// time, send every message exactly once between them.
func TestWorkersShareTheOutbox(t *testing.T) {
	c := newClock()
	base := newOutbox(t, c)
	for i := range 60 {
		enqueue(t, base, message(fmt.Sprintf("m%02d", i)))
	}
	sender := &countingSender{sent: map[string]int{}}
	var claims sync.Map
	var wg sync.WaitGroup
	for _, id := range []string{"a", "b", "c"} {
		w := mailer.NewWorker(sharedOutbox(base, c, id), sender, slog.New(slog.DiscardHandler))
		w.Limits = mailer.Limits{}
		w.Batch = 7
		n := 0
		w.Claimed = func() { n++; claims.Store(id, n) }
		wg.Go(func() {
			for {
				took, err := w.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if took == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	total := 0
	claims.Range(func(_, v any) bool { total += v.(int); return true })
	if len(sender.sent) != 60 || total != 60 {
		t.Errorf("%d distinct messages sent, %d claims; want 60 and 60", len(sender.sent), total)
	}
	for k, n := range sender.sent {
		if n != 1 {
			t.Errorf("%s sent %d times", k, n)
		}
	}
}
