package mailer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// hold puts m back until the limit h has room (or until m expires, to
// mark it then), without counting an attempt. The limit is logged once
// per recipient and window, not once per message held.
func (w *Worker) hold(ctx context.Context, m Message, h hold) error {
	next := h.until
	if !m.Expires.IsZero() && m.Expires.Before(next) {
		next = m.Expires
	}
	if w.Limited != nil {
		w.Limited(h.limit)
	}
	if w.firstHold(h) {
		w.Logger.Warn("mail held back by a rate limit; more mail over this limit is held without a log line until it has room",
			logKeyLimit, h.limit, logKeyRcpt, h.rcpt, "sent", h.count, "max", h.max, logKeyNext, h.until.UTC().Format(time.RFC3339))
	}
	err := w.Outbox.MarkHeld(ctx, m.ID, next, h.reason())
	if errors.Is(err, ErrNotDue) {
		return nil
	}
	return err
}

// firstHold reports whether h is the first hold of its limit and
// recipient in this window, and remembers it.
func (w *Worker) firstHold(h hold) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.Now()
	if w.limitLogged == nil {
		w.limitLogged = map[string]time.Time{}
	}
	key := h.limit + " " + h.rcpt
	if until, ok := w.limitLogged[key]; ok && now.Before(until) {
		return false
	}
	for k, until := range w.limitLogged {
		if !now.Before(until) {
			delete(w.limitLogged, k)
		}
	}
	w.limitLogged[key] = h.until
	return true
}

// expire marks m expired: not sent before what it is about started, it
// is no longer worth sending. The reason keeps what held it back.
func (w *Worker) expire(ctx context.Context, log *slog.Logger, m Message) error {
	reason := fmt.Sprintf("expired unsent at %s: what it is about has started, so it is not sent late",
		m.Expires.UTC().Format(time.RFC3339))
	if m.LastError != "" {
		reason += "; held back by: " + m.LastError
	}
	log.Info("mail expired unsent", logKeyErr, reason)
	err := w.Outbox.MarkExpired(ctx, m.ID, reason)
	if errors.Is(err, ErrNotDue) {
		return nil
	}
	return err
}
