package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// LastAnswerEdit returns when an answer of one of the requests was last
// edited; the zero time when never.
func (c conn) LastAnswerEdit(ctx context.Context, requestIDs []int64) (time.Time, error) {
	if len(requestIDs) == 0 {
		return time.Time{}, nil
	}
	ids := make([]any, len(requestIDs))
	for i, id := range requestIDs {
		ids[i] = id
	}
	var last sql.NullString
	err := c.q.QueryRowContext(ctx, `SELECT max(edited_at) FROM prep_answer_edits WHERE request_id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`)`, ids...).Scan(&last)
	if err != nil || !last.Valid {
		return time.Time{}, err
	}
	return parseTime(last.String)
}

// AgendaOccurrence is an occurrence whose agenda is kept up to date, with
// its last delivered block.
type AgendaOccurrence struct {
	SeriesUID, RecurrenceID string
	Hash                    string // "" before the first delivery
	LastError               string
}

// PendingAgendas lists the occurrences with an answer, a link live at now
// and no final pass yet.
func (c conn) PendingAgendas(ctx context.Context, now time.Time) ([]AgendaOccurrence, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT DISTINCT r.series_uid, r.recurrence_id, coalesce(a.block_hash, ''), coalesce(a.last_error, '')
		FROM prep_requests r LEFT JOIN prep_agenda_writes a
		  ON a.series_uid = r.series_uid AND a.recurrence_id = r.recurrence_id
		WHERE r.answered_at IS NOT NULL AND r.expires_at > ? AND a.final_at IS NULL
		ORDER BY r.series_uid, r.recurrence_id`, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("agendas due: %w", err)
	}
	defer rows.Close()
	var out []AgendaOccurrence
	for rows.Next() {
		var o AgendaOccurrence
		if err := rows.Scan(&o.SeriesUID, &o.RecurrenceID, &o.Hash, &o.LastError); err != nil {
			return nil, fmt.Errorf("agendas due: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// AgendaHash returns the hash of the block last delivered for an
// occurrence; "" before the first delivery.
func (c conn) AgendaHash(ctx context.Context, seriesUID, recurrenceID string) (string, error) {
	var hash string
	err := c.q.QueryRowContext(ctx, `SELECT block_hash FROM prep_agenda_writes WHERE series_uid = ? AND recurrence_id = ?`,
		seriesUID, recurrenceID).Scan(&hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("agenda of %s %s: %w", seriesUID, recurrenceID, err)
	}
	return hash, nil
}

// AgendaAttempt is the outcome of one attempt to deliver an agenda.
type AgendaAttempt struct {
	Hash                    string // of the block now in the event
	Written, Emailed, Final bool   // the event was written, the mail enqueued, no more passes
	LastError               string
}

// RecordAgendaAttempt stores the outcome of an attempt made at at, in the
// caller's transaction; the first write, mail and final pass are kept.
func (w Tx) RecordAgendaAttempt(ctx context.Context, seriesUID, recurrenceID string, a AgendaAttempt, at time.Time) error {
	stamp := formatTime(at)
	when := func(done bool) any {
		if done {
			return stamp
		}
		return nil
	}
	_, err := w.tx.ExecContext(ctx, `INSERT INTO prep_agenda_writes
		(series_uid, recurrence_id, block_hash, written_at, emailed_at, last_error, attempted_at, final_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (series_uid, recurrence_id) DO UPDATE SET
		  block_hash = excluded.block_hash,
		  written_at = coalesce(excluded.written_at, prep_agenda_writes.written_at),
		  emailed_at = coalesce(excluded.emailed_at, prep_agenda_writes.emailed_at),
		  last_error = excluded.last_error,
		  attempted_at = excluded.attempted_at,
		  final_at = coalesce(excluded.final_at, prep_agenda_writes.final_at)`,
		seriesUID, recurrenceID, a.Hash, when(a.Written), when(a.Emailed), a.LastError, stamp, when(a.Final))
	if err != nil {
		return fmt.Errorf("record agenda of %s %s: %w", seriesUID, recurrenceID, err)
	}
	return nil
}
