package mailer_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/smtptest"
)

// BenchmarkOutboxToSMTP enqueues 1,000 messages (one transaction each, as
// prep does) and lets the worker deliver them all to an in-process SMTP
// server, one connection per message.
func BenchmarkOutboxToSMTP(b *testing.B) {
	const perRound = 1000
	c := newClock()
	o := newOutbox(b, c)
	f := smtptest.StartFake(b, smtptest.FakeOptions{})
	w := newWorker(o, plainSender(b, f), c, &logBuffer{})
	w.Limits = mailer.Limits{} // 1,000 mails to one address is the point here
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for round := range b.N {
		for i := range perRound {
			if _, _, err := o.Enqueue(ctx, nil, message(fmt.Sprintf("bench:%d:%d", round, i))); err != nil {
				b.Fatal(err)
			}
		}
		for sent := 0; sent < perRound; {
			n, err := w.RunOnce(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				b.Fatalf("round %d: %d of %d sent, then nothing due", round, sent, perRound)
			}
			sent += n
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if got := len(f.Received()); got != perRound*b.N {
		b.Fatalf("received %d, want %d", got, perRound*b.N)
	}
	counts, err := o.Counts(ctx)
	if err != nil || counts[mailer.StateSent] != perRound*b.N {
		b.Fatalf("counts %v %v", counts, err)
	}
	b.ReportMetric(float64(perRound*b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(elapsed.Microseconds())/float64(perRound*b.N), "µs/msg")
}
