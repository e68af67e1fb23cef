package prep

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/prep/store"
)

// agendaQueue is what finding the agendas to deliver needs of prep's
// store.
type agendaQueue interface {
	PendingAgendas(ctx context.Context, now time.Time) ([]store.AgendaOccurrence, error)
}

// AgendaWorker keeps the agenda in each answered meeting's calendar event
// up to date until the meeting starts. Run Tick periodically.
type AgendaWorker struct {
	DB       *sql.DB
	Meetings Meetings
	Writer   AgendaWriter
	Outbox   Outbox
	Settings Settings
	Notify   func() // wakes the outbox worker after agenda mail; optional

	Answers *AnswerCipher // decrypts the answers; required
}

// Delivered counts what a tick did, for logs and metrics.
type Delivered struct {
	Written int // blocks written into calendars
	Emailed int // agenda mails enqueued (one per person)
	Failed  int // writes that failed and will be retried
}

// Tick composes the agenda of every meeting with answers whose links are
// still live and delivers it when it changed since the last delivery and
// has settled (see ready): written into every calendar copy that can be
// written, and mailed to each person who sees none of them, at most
// twice per meeting (the settled agenda, then one update). A meeting
// that has started gets one last pass, then none. Other write errors are
// recorded and retried on the next tick, until the meeting ends.
func (w *AgendaWorker) Tick(ctx context.Context, now time.Time) (Delivered, error) {
	var d Delivered
	keys, err := w.pending(ctx, now)
	if err != nil {
		return d, err
	}
	var errs []error
	for _, k := range keys {
		errs = append(errs, w.one(ctx, now, k, &d))
	}
	if d.Emailed > 0 && w.Notify != nil {
		w.Notify()
	}
	return d, errors.Join(errs...)
}

// occurrence is an occurrence key with its last delivered agenda.
type occurrence = store.AgendaOccurrence

// pending lists the occurrences with an answer, a live link and no final
// pass yet.
func (w *AgendaWorker) pending(ctx context.Context, now time.Time) ([]occurrence, error) {
	out, err := onDB(w.DB).PendingAgendas(ctx, now)
	if err != nil {
		return nil, fmt.Errorf("prep: %w", err)
	}
	return out, nil
}

// one delivers the agenda of one occurrence if it changed.
func (w *AgendaWorker) one(ctx context.Context, now time.Time, o occurrence, d *Delivered) error {
	m, err := w.Meetings.Meeting(ctx, o.SeriesUID, o.RecurrenceID)
	if errors.Is(err, ErrNoMeeting) {
		return w.record(ctx, o, now, outcome{hash: o.Hash, final: true, err: err})
	}
	if err != nil {
		return fmt.Errorf("prep: agenda of %s %s: %w", o.SeriesUID, o.RecurrenceID, err)
	}
	if m.Cancelled() {
		return nil // a restored meeting gets its agenda then
	}
	final := !now.Before(m.Start)
	block, reqs, err := w.compose(ctx, now, m)
	if err != nil {
		return err
	}
	hash := blockHash(block)
	if hash == o.Hash || (o.Hash == "" && block == "") {
		if final {
			return w.record(ctx, o, now, outcome{final: true, hash: o.Hash})
		}
		return nil
	}
	if ok, err := w.ready(ctx, now, m, reqs); err != nil || !ok {
		return err
	}
	return w.deliver(ctx, now, m, o, block, reqs, final, d)
}

// compose renders the current agenda of m.
func (w *AgendaWorker) compose(ctx context.Context, now time.Time, m Meeting) (string, map[string]request, error) {
	reqs, err := requestsOf(ctx, onDB(w.DB), m.SeriesUID, m.RecurrenceID)
	if err != nil {
		return "", nil, err
	}
	answers, err := allAnswers(ctx, onDB(w.DB), w.Answers, reqs)
	if err != nil {
		return "", nil, err
	}
	if !w.Settings.revealed(reqs, m, now) {
		answers = nil // the event is read by both: nothing of either until both answered
	}
	prev, err := carryOver(ctx, onDB(w.DB), w.Answers, w.Meetings, m, w.Settings.carryOver())
	if err != nil {
		return "", nil, err
	}
	return ComposeAgenda(m, agendaQuestions(m, reqs), answers, prev), reqs, nil
}

// blockHash identifies an agenda: SHA-256, hex.
func blockHash(block string) string {
	sum := sha256.Sum256([]byte(block))
	return hex.EncodeToString(sum[:])
}
