package mailer_test

import (
	"context"
	"testing"

	"github.com/oneonone/oneonone/mailer"
)

// Mail waiting its turn is no problem to list; an empty outbox lists an
// empty (not null) set.
func TestProblemsLeavesQueuedMailOut(t *testing.T) {
	o := newOutbox(t, newClock())
	enqueue(t, o, message("prep:1:ada:invite"))
	got, err := mailer.Problems(context.Background(), o, 10)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Problems = %v, %v; want an empty list", got, err)
	}
}
