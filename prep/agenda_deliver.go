package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/oneonone/oneonone/prep/store"
)

// agendaWrites is what recording a delivery needs of prep's store.
type agendaWrites interface {
	AgendaHash(ctx context.Context, seriesUID, recurrenceID string) (string, error)
	RecordAgendaAttempt(ctx context.Context, seriesUID, recurrenceID string, a store.AgendaAttempt, at time.Time) error
}

// outcome is what one delivery attempt leaves in prep_agenda_writes.
type outcome struct {
	hash    string // of the block now delivered, or the one delivered before
	written bool
	emailed bool
	final   bool  // no more passes for this occurrence
	err     error // of a failed write, kept as last_error
}

// deliver writes block into m's calendar copies, and mails it to the
// people who see none of them. A failed write is returned only when its
// error differs from the last one, so a calendar that stays down is
// reported once, not on every tick.
func (w *AgendaWorker) deliver(ctx context.Context, now time.Time, m Meeting, o occurrence, block string,
	reqs map[string]request, final bool, d *Delivered) error {
	reached, err := w.Writer.WriteAgenda(ctx, m, block)
	if errors.Is(err, ErrNotWritable) {
		reached, err = nil, nil
	}
	if err == nil {
		if len(reached) > 0 {
			d.Written++
		}
		n, err := w.email(ctx, now, m, o, block, reqs, reached, final)
		d.Emailed += n
		return err
	}
	d.Failed++
	giveUp := final && !now.Before(m.End)
	if rerr := w.record(ctx, o, now, outcome{hash: o.Hash, final: giveUp, err: err}); rerr != nil {
		return rerr
	}
	if err.Error() == o.LastError {
		return nil
	}
	return fmt.Errorf("prep: write agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, err)
}

// The agenda mails a person can get for one meeting: the settled agenda,
// then one update. Their dedup keys make sure of it, whatever the ticks.
const (
	agendaMailFirst  = kindAgenda + ":1"
	agendaMailUpdate = kindAgenda + ":2"
)

// email enqueues the agenda to each person of m whom no written calendar
// copy reaches, who has a link and has not paused, in one transaction
// with the record of the delivery: the first agenda mail, or else the one
// update before the meeting starts. Nothing is mailed for an empty agenda
// or after the meeting.
func (w *AgendaWorker) email(ctx context.Context, now time.Time, m Meeting, o occurrence, block string,
	reqs map[string]request, reached []string, final bool) (int, error) {
	tx, err := w.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("prep: agenda mail: %w", err)
	}
	defer tx.Rollback()
	n := 0
	for _, p := range m.People {
		r, ok := reqs[normEmail(p.Email)]
		if !ok || block == "" || !now.Before(m.End) || slices.Contains(reached, r.Email) {
			continue
		}
		if off, err := paused(ctx, inTx(tx), m.SeriesUID, r.Email); err != nil || off {
			if err != nil {
				return 0, err
			}
			continue
		}
		created, err := w.Settings.enqueue(ctx, tx, w.Outbox, agendaMailFirst, m, r, block)
		if err == nil && !created && now.Before(m.Start) {
			created, err = w.update(ctx, tx, m, o, r, block)
		}
		if err != nil {
			return 0, err
		}
		if created {
			n++
		}
	}
	out := outcome{hash: blockHash(block), written: len(reached) > 0, emailed: n > 0, final: final}
	if err := saveOutcome(ctx, tx, o, now, out); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("prep: agenda mail: commit: %w", err)
	}
	return n, nil
}

// update enqueues the one update of the agenda to r, whose first agenda
// mail is out, unless the record says this very block was delivered:
// another instance sharing the database delivered it at the same moment
// (the first mail's enqueue waited for its commit, so its record is
// read here), and a second mail would repeat the first.
func (w *AgendaWorker) update(ctx context.Context, tx *sql.Tx, m Meeting, o occurrence, r request, block string) (bool, error) {
	stored, err := inTx(tx).AgendaHash(ctx, o.SeriesUID, o.RecurrenceID)
	if err != nil {
		return false, fmt.Errorf("prep: %w", err)
	}
	if stored == blockHash(block) {
		return false, nil
	}
	return w.Settings.enqueue(ctx, tx, w.Outbox, agendaMailUpdate, m, r, block)
}

// record stores the outcome of an attempt in its own transaction.
func (w *AgendaWorker) record(ctx context.Context, o occurrence, now time.Time, out outcome) error {
	tx, err := w.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("prep: record agenda: %w", err)
	}
	defer tx.Rollback()
	if err := saveOutcome(ctx, tx, o, now, out); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("prep: record agenda: commit: %w", err)
	}
	return nil
}

func saveOutcome(ctx context.Context, tx *sql.Tx, o occurrence, now time.Time, out outcome) error {
	lastErr := ""
	if out.err != nil {
		lastErr = out.err.Error()
	}
	a := store.AgendaAttempt{Hash: out.hash, Written: out.written, Emailed: out.emailed, Final: out.final, LastError: lastErr}
	if err := inTx(tx).RecordAgendaAttempt(ctx, o.SeriesUID, o.RecurrenceID, a, now); err != nil {
		return fmt.Errorf("prep: %w", err)
	}
	return nil
}
