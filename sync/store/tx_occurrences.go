package store

import (
	"fmt"
	"time"
)

// Occ is a stored occurrence: its start as written (a date when all-day)
// and as an instant, and its state.
type Occ struct {
	Start    string
	StartsAt time.Time
	State    string
}

// Occurrences returns the series' occurrences by key.
func (t *Tx) Occurrences(seriesID int64) (map[string]Occ, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT recurrence_id, start, starts_at, state FROM occurrences WHERE series_id = ?`, seriesID)
	if err != nil {
		return nil, fmt.Errorf("load occurrences: %w", err)
	}
	defer rows.Close()
	out := map[string]Occ{}
	for rows.Next() {
		var k, startsAt string
		var o Occ
		if err := rows.Scan(&k, &o.Start, &startsAt, &o.State); err != nil {
			return nil, fmt.Errorf("load occurrences: %w", err)
		}
		o.StartsAt, _ = time.Parse(time.RFC3339, startsAt)
		out[k] = o
	}
	return out, rows.Err()
}

// OccurrenceData is what a sync writes of an occurrence.
type OccurrenceData struct {
	SeriesID         int64
	Key              string
	Start, End       string // as shown: RFC 3339, or a date when all-day
	StartsAt, EndsAt time.Time
	AllDay           bool
	State            string
	DeclinedBy       string
	Now              time.Time
}

// SaveOccurrence stores an occurrence, replacing what was stored.
func (t *Tx) SaveOccurrence(d OccurrenceData) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO occurrences (series_id, recurrence_id, start, "end", starts_at, ends_at, all_day, state, declined_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (series_id, recurrence_id) DO UPDATE SET start = excluded.start, "end" = excluded."end", starts_at = excluded.starts_at,
		ends_at = excluded.ends_at, state = excluded.state, declined_by = excluded.declined_by, updated_at = excluded.updated_at`,
		d.SeriesID, d.Key, d.Start, d.End, utc(d.StartsAt), utc(d.EndsAt), d.AllDay, d.State, d.DeclinedBy, utc(d.Now))
	if err != nil {
		return fmt.Errorf("save occurrence %s: %w", d.Key, err)
	}
	return nil
}

// SetState changes one occurrence's state.
func (t *Tx) SetState(seriesID int64, key, state string, now time.Time) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE occurrences SET state = ?, updated_at = ? WHERE series_id = ? AND recurrence_id = ?`,
		state, utc(now), seriesID, key)
	if err != nil {
		return fmt.Errorf("occurrence %s: %w", key, err)
	}
	return nil
}

// Rekey gives an occurrence, and its history, a new key.
func (t *Tx) Rekey(seriesID int64, from, to string) error {
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE occurrences SET recurrence_id = ? WHERE series_id = ? AND recurrence_id = ?`, to, seriesID, from); err != nil {
		return fmt.Errorf("rekey occurrence %s: %w", from, err)
	}
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE history SET recurrence_id = ? WHERE series_id = ? AND recurrence_id = ?`, to, seriesID, from); err != nil {
		return fmt.Errorf("rekey history of %s: %w", from, err)
	}
	return nil
}

// Ended is a tracked occurrence that has ended without being cancelled
// or declined.
type Ended struct {
	SeriesID, PairID int64
	Key, Start       string
}

// Ended returns the scheduled or moved 1:1 occurrences that ended by now
// in the series the calendar holds the writable copy of.
func (t *Tx) Ended(calID int64, now time.Time) ([]Ended, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT o.series_id, s.pair_id, o.recurrence_id, o.start FROM occurrences o JOIN series s ON s.id = o.series_id
		WHERE o.state IN ('scheduled', 'moved') AND o.ends_at <= ? AND s.one_on_one = TRUE AND s.pair_id IS NOT NULL AND s.calendar_id = ?`, utc(now), calID)
	if err != nil {
		return nil, fmt.Errorf("held: %w", err)
	}
	defer rows.Close()
	var out []Ended
	for rows.Next() {
		var e Ended
		if err := rows.Scan(&e.SeriesID, &e.PairID, &e.Key, &e.Start); err != nil {
			return nil, fmt.Errorf("held: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
