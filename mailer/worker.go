package mailer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Log keys of the worker, stable for people who grep the journal.
const (
	logKeyID        = "outbox_id"
	logKeyMessageID = "message_id"
	logKeyDedup     = "dedup_key"
	logKeyTo        = "to"
	logKeyAttempt   = "attempt"
	logKeyNext      = "next_attempt"
	logKeyErr       = "err"
	logKeyLimit     = "limit"
	logKeyRcpt      = "rcpt"
)

// Worker sends due outbox messages, one at a time, until its context ends.
// Set the exported fields before Run; NewWorker fills the defaults.
type Worker struct {
	Outbox  Queue
	Sender  Sender
	Logger  *slog.Logger
	Now     func() time.Time // the clock; default the outbox's
	Rand    func() float64   // jitter source in [0, 1); default math/rand/v2
	Backoff Backoff
	Batch   int           // messages taken per query; default 50
	Poll    time.Duration // longest sleep without a Notify; default 1 m
	// Limits hold mail back; NewWorker sets DefaultLimits, the zero value
	// limits nothing.
	Limits Limits
	// Limited, when set, is called with the limit's name (LimitGlobalHour
	// …) each time a message is held back, for a metric.
	Limited func(limit string)
	// Claimed, when set, is called each time this worker claims a message
	// for an attempt, for a metric.
	Claimed func()

	wakeOnce sync.Once
	wake     chan struct{}

	mu             sync.Mutex
	unhealthy      string               // see Health
	configFailures int                  // refusals of our configuration in a row
	pausedUntil    time.Time            // no sending before, while unhealthy
	limitLogged    map[string]time.Time // limit+recipient → end of the window already logged
}

// NewWorker returns a worker with default policy; a nil logger discards.
func NewWorker(o Queue, s Sender, logger *slog.Logger) *Worker {
	w := &Worker{Outbox: o, Sender: s, Logger: logger, Backoff: DefaultBackoff, Limits: DefaultLimits}
	w.fillDefaults()
	return w
}

// fillDefaults repairs zero fields of a Worker built without NewWorker.
func (w *Worker) fillDefaults() {
	if w.Logger == nil {
		w.Logger = slog.New(slog.DiscardHandler)
	}
	if w.Now == nil {
		w.Now = w.Outbox.Clock
	}
	if w.Rand == nil {
		w.Rand = rand.Float64
	}
	if w.Batch <= 0 {
		w.Batch = 50
	}
	if w.Poll <= 0 {
		w.Poll = time.Minute
	}
}

func (w *Worker) wakeC() chan struct{} {
	w.wakeOnce.Do(func() { w.wake = make(chan struct{}, 1) })
	return w.wake
}

// Notify wakes the worker to look for due messages now. Call it after the
// transaction that enqueued a message has committed. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wakeC() <- struct{}{}:
	default:
	}
}

// Run first puts messages a previous run left in sending back to deferred
// (see Outbox.Recover), then sends due messages until ctx ends. It returns
// nil when ctx ends, or an error when it cannot start. A message being
// sent when ctx ends is finished and recorded, or put back to deferred;
// nothing queued is dropped.
func (w *Worker) Run(ctx context.Context) error {
	w.fillDefaults()
	n, err := w.Outbox.Recover(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.Logger.Warn("mail interrupted by the previous stop put back in the queue; a message may arrive twice if the server had accepted it", "count", n)
	}
	var lastErr string
	for ctx.Err() == nil {
		sent, err := w.RunOnce(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			if err.Error() != lastErr {
				w.Logger.Error("mail outbox unavailable", logKeyErr, err)
			}
			lastErr = err.Error()
		case err == nil:
			lastErr = ""
			if sent == w.Batch {
				continue // more may be due right now
			}
		}
		w.sleep(ctx, err != nil)
	}
	return nil
}

// sleep waits until the next message is due, a Notify, the poll interval,
// or the end of ctx, whichever comes first.
func (w *Worker) sleep(ctx context.Context, failed bool) {
	d := w.Poll
	if until, ok := w.paused(w.Now()); ok {
		d = min(until.Sub(w.Now()), w.Poll)
	} else if !failed {
		if next, ok, err := w.Outbox.NextDue(ctx); err == nil && ok {
			d = min(max(next.Sub(w.Now()), 0), w.Poll)
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-w.wakeC():
	case <-t.C:
	}
}

// RunOnce sends the messages due now, at most one batch, and returns how
// many it took. It stops early, between messages, when ctx ends, when the
// global rate limit is reached, and when the server refuses our
// configuration; while that lasts (see Health) it sends nothing until the
// next try is due.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.fillDefaults()
	if _, ok := w.paused(w.Now()); ok {
		return 0, nil
	}
	// Another instance sharing the outbox may have died while sending:
	// once its claim expires, its message is due again here.
	if n, err := w.Outbox.Recover(ctx); err != nil {
		return 0, err
	} else if n > 0 {
		w.Logger.Warn("mail left in sending by a stopped instance put back in the queue; a message may arrive twice if the server had accepted it", "count", n)
	}
	due, err := w.Outbox.Due(ctx, w.Now(), w.Batch)
	if err != nil {
		return 0, err
	}
	for i, m := range due {
		if ctx.Err() != nil {
			return i, nil
		}
		stop, err := w.deliver(ctx, m)
		if err != nil {
			return i, err
		}
		if stop {
			return i + 1, nil
		}
	}
	return len(due), nil
}

// deliver makes one attempt at m, unless it has expired, has a recipient
// no mail may go to, or is over a rate limit, and records the outcome.
// stop says that no other message can go out now either.
func (w *Worker) deliver(ctx context.Context, m Message) (stop bool, err error) {
	now := w.Now()
	log := w.Logger.With(logKeyID, m.ID, logKeyMessageID, m.MessageID, logKeyDedup, m.DedupKey,
		logKeyTo, m.To, logKeyAttempt, m.Attempts+1)
	if !m.Expires.IsZero() && !now.Before(m.Expires) {
		return false, w.expire(ctx, log, m)
	}
	rcpts, rcptErr := recipients(m)
	if rcptErr == nil {
		h, err := checkLimits(ctx, w.Outbox, w.Limits, rcpts, now)
		if err != nil {
			return false, err
		}
		if h != nil {
			return h.limit == LimitGlobalHour, w.hold(ctx, m, *h)
		}
	}
	if err := w.Outbox.MarkSending(ctx, m.ID); err != nil {
		if errors.Is(err, ErrNotDue) {
			return false, nil
		}
		return false, err
	}
	m.Attempts++
	if w.Claimed != nil {
		w.Claimed()
	}
	if rcptErr != nil {
		log.Error("mail refused: a recipient is not a plain address; not retried", logKeyErr, rcptErr)
		return false, w.Outbox.MarkFailed(context.WithoutCancel(ctx), m.ID, rcptErr)
	}
	retry, sendErr := w.Sender.Send(ctx, m)
	return w.record(ctx, log, m, retry, sendErr)
}

// record writes the outcome of one attempt. It is written even when ctx
// has ended meanwhile, so a finished send is never forgotten.
func (w *Worker) record(ctx context.Context, log *slog.Logger, m Message, retry bool, sendErr error) (bool, error) {
	rec := context.WithoutCancel(ctx)
	switch {
	case sendErr == nil:
		log.Info("mail sent")
		w.configWorks(log)
		return false, w.Outbox.MarkSent(rec, m.ID)
	case ctx.Err() != nil && retry:
		log.Info("mail attempt interrupted by shutdown; will retry", logKeyErr, sendErr)
		return false, w.Outbox.MarkDeferred(rec, m.ID, w.Now(), sendErr)
	case errors.Is(sendErr, ErrServerConfig):
		// Not this message's fault: it waits, with every other one,
		// however long the fix takes (an expiry still applies).
		return true, w.Outbox.MarkDeferred(rec, m.ID, w.configFailed(log, m, sendErr), sendErr)
	case !retry:
		log.Error("mail failed permanently", logKeyErr, sendErr)
		return false, w.Outbox.MarkFailed(rec, m.ID, sendErr)
	case w.Backoff.GiveUp(m.Attempts, m.Created, w.Now()):
		log.Error("mail failed: giving up after retrying", logKeyErr, sendErr)
		return false, w.Outbox.MarkFailed(rec, m.ID, fmt.Errorf("mailer: gave up after %d attempts: %w", m.Attempts, sendErr))
	}
	next := w.Now().Add(w.Backoff.Delay(m.Attempts, w.Rand()))
	// Only a new kind of failure is worth a log line; the same error on
	// every retry of an unreachable server would flood the journal.
	if sendErr.Error() != m.LastError {
		log.Warn("mail deferred", logKeyNext, next.UTC().Format(time.RFC3339), logKeyErr, sendErr)
	}
	return false, w.Outbox.MarkDeferred(rec, m.ID, next, sendErr)
}
