package store_test

import (
	"context"
	gosync "sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

var schema = db.Schema{Owner: store.MigrationsOwner, FS: store.Migrations, Dir: "migrations"}

// Instances enqueueing the same mail at the same time make one message:
// each gets its id, exactly one is told it created it, on both dialects.
func TestConcurrentEnqueueMakesOneMessage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		o := store.NewOutbox(open(t, schema), func() time.Time { return now })
		m := mailer.Message{DedupKey: "prep:s1:2026-03-03T13:00:00Z:ada@example.com:invite", From: "prep@example.com",
			To: []string{"ada@example.com"}, Subject: "Prep", Text: "Hello"}
		const n = 8
		ids := make([]int64, n)
		created := make([]bool, n)
		errs := make([]error, n)
		var wg gosync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ids[i], created[i], errs[i] = o.Enqueue(context.Background(), nil, m)
			}()
		}
		wg.Wait()
		made := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("enqueue %d: %v", i, errs[i])
			}
			if ids[i] != ids[0] {
				t.Fatalf("ids %v: want one message", ids)
			}
			if created[i] {
				made++
			}
		}
		if made != 1 {
			t.Fatalf("%d enqueues say they created the message, want 1", made)
		}
		counts, err := o.Counts(context.Background())
		if err != nil || counts[mailer.StateQueued] != 1 {
			t.Fatalf("counts %v (%v), want 1 queued", counts, err)
		}
	})
}
