package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Reported is the occurrence a person's report is about.
type Reported struct {
	SeriesID, PairID int64
	Key, Start       string
	State            string
}

// Reported returns the occurrence of a tracked pair, or ErrNotFound.
func (t *Tx) Reported(seriesUID, key string) (Reported, error) {
	var r Reported
	var pairID sql.NullInt64
	err := t.tx.QueryRowContext(t.ctx, `SELECT s.id, s.pair_id, o.recurrence_id, o.start, o.state
		FROM occurrences o JOIN series s ON s.id = o.series_id WHERE s.uid = ? AND o.recurrence_id = ?`,
		seriesUID, key).Scan(&r.SeriesID, &pairID, &r.Key, &r.Start, &r.State)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !pairID.Valid) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("sync: report on %s %s: %w", seriesUID, key, err)
	}
	r.PairID = pairID.Int64
	return r, nil
}

// WithdrawReports deletes the not_held and moved reports email made.
func (t *Tx) WithdrawReports(seriesID int64, key, email string) error {
	_, err := t.tx.ExecContext(t.ctx, `DELETE FROM history WHERE series_id = ? AND recurrence_id = ?
		AND kind IN ('not_held', 'moved') AND confirmed_by = ?`, seriesID, key, email)
	if err != nil {
		return fmt.Errorf("withdraw earlier report: %w", err)
	}
	return nil
}

// HeldEvent is the id and confirmed_by of the occurrence's held event;
// id 0 when none.
func (t *Tx) HeldEvent(seriesID int64, key string) (int64, string, error) {
	var id int64
	var by string
	err := t.tx.QueryRowContext(t.ctx, `SELECT id, confirmed_by FROM history WHERE series_id = ? AND recurrence_id = ? AND kind = 'held'
		ORDER BY id LIMIT 1`, seriesID, key).Scan(&id, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("held event: %w", err)
	}
	return id, by, nil
}

// SetConfirmedBy replaces who confirmed event id (comma-separated).
func (t *Tx) SetConfirmedBy(id int64, by string) error {
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE history SET confirmed_by = ? WHERE id = ?`, by, id); err != nil {
		return fmt.Errorf("confirmed by: %w", err)
	}
	return nil
}

// AddReport records what email said of the occurrence r as an event.
func (t *Tx) AddReport(r Reported, kind, detail, email string, at time.Time) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO history (pair_id, series_id, recurrence_id, kind, from_time, detail, observed_at, confirmed_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.PairID, r.SeriesID, r.Key, kind, r.Start, detail, utc(at), email)
	if err != nil {
		return fmt.Errorf("history %s: %w", kind, err)
	}
	return nil
}

// ReportCounts counts the held events someone confirmed and the not_held
// reports of the occurrence.
func (t *Tx) ReportCounts(seriesID int64, key string) (confirmed, denied int, err error) {
	err = t.tx.QueryRowContext(t.ctx, `SELECT
		count(CASE WHEN kind = 'held' AND confirmed_by <> '' THEN 1 END),
		count(CASE WHEN kind = 'not_held' THEN 1 END)
		FROM history WHERE series_id = ? AND recurrence_id = ?`, seriesID, key).Scan(&confirmed, &denied)
	if err != nil {
		return 0, 0, fmt.Errorf("reports: %w", err)
	}
	return confirmed, denied, nil
}
