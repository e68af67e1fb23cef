package sync

import (
	"context"
	gosync "sync"
)

// syncDue syncs the calendars of one pass, up to n at the same time, and
// hands each summary to done in the calling goroutine (so the backoff
// map needs no lock). A calendar whose server is slow or hangs holds one
// of the n slots, for at most the per-request timeout of its client; the
// others go on in the remaining slots.
func (s *Scheduler) syncDue(ctx context.Context, due, all []Calendar, n int, done func(Calendar, Summary)) {
	if len(due) == 0 {
		return
	}
	n = max(min(n, len(due)), 1)
	type result struct {
		cal Calendar
		sum Summary
	}
	work := make(chan Calendar)
	results := make(chan result)
	var wg gosync.WaitGroup
	for range n {
		wg.Go(func() {
			for c := range work {
				results <- result{c, s.Engine().SyncOne(ctx, c, all)}
			}
		})
	}
	go func() {
		defer close(work)
		for _, c := range due {
			select {
			case work <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	for r := range results {
		done(r.cal, r.sum)
	}
}

// concurrency is how many calendars one pass syncs at once: the config's
// [sync] concurrency, 1 when unset.
func (s *Scheduler) concurrency() int {
	if s.Concurrency == nil {
		return 1
	}
	return max(s.Concurrency(), 1)
}
