package store

import (
	"fmt"
	"strings"
	"time"
)

// Candidate is a series that may continue another after a split.
type Candidate struct {
	ID        int64
	Continues string // the UID it is known to continue, if any
	First     string // its first planned start, '' when none
}

// Candidates returns the pair's other active 1:1 series first seen at or
// after since, by id.
func (t *Tx) Candidates(seriesID, pairID int64, since time.Time) ([]Candidate, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT s.id, s.continues, COALESCE(MIN(o.starts_at), '') FROM series s
		LEFT JOIN occurrences o ON o.series_id = s.id
		WHERE s.id != ? AND s.pair_id = ? AND s.one_on_one = TRUE AND s.state = 'active' AND s.first_seen >= ?
		GROUP BY s.id, s.continues ORDER BY s.id`, seriesID, pairID, utc(since))
	if err != nil {
		return nil, fmt.Errorf("successor: %w", err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var c Candidate
		if err := rows.Scan(&c.ID, &c.Continues, &c.First); err != nil {
			return nil, fmt.Errorf("successor: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Live counts the series' occurrences from from on that are still to
// take place.
func (t *Tx) Live(seriesID int64, from time.Time) (int, error) {
	var n int
	err := t.tx.QueryRowContext(t.ctx, `SELECT count(*) FROM occurrences WHERE series_id = ? AND starts_at >= ?
		AND state IN ('scheduled', 'moved', 'declined')`, seriesID, utc(from)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("split: %w", err)
	}
	return n, nil
}

// SeriesUID is the UID of series id.
func (t *Tx) SeriesUID(id int64) (string, error) {
	var uid string
	if err := t.tx.QueryRowContext(t.ctx, `SELECT uid FROM series WHERE id = ?`, id).Scan(&uid); err != nil {
		return "", fmt.Errorf("series %d: %w", id, err)
	}
	return uid, nil
}

// SeriesZone is the time zone name of series id.
func (t *Tx) SeriesZone(id int64) (string, error) {
	var tz string
	if err := t.tx.QueryRowContext(t.ctx, `SELECT timezone FROM series WHERE id = ?`, id).Scan(&tz); err != nil {
		return "", fmt.Errorf("split: %w", err)
	}
	return tz, nil
}

// LinkSplit records that series next continues the series uid, and says
// so in next's created event.
func (t *Tx) LinkSplit(next int64, uid, detail string) error {
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE series SET continues = ? WHERE id = ?`, uid, next); err != nil {
		return fmt.Errorf("link split: %w", err)
	}
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE history SET detail = ? WHERE series_id = ? AND kind = 'created'`, detail, next); err != nil {
		return fmt.Errorf("link split: %w", err)
	}
	return nil
}

// Continuation is what a new series says of itself as a possible
// continuation; ok is false when it is not a 1:1.
func (t *Tx) Continuation(id int64) (pairID int64, continues, first string, ok bool) {
	err := t.tx.QueryRowContext(t.ctx, `SELECT COALESCE(s.pair_id, 0), s.continues, COALESCE(MIN(o.starts_at), '') FROM series s
		LEFT JOIN occurrences o ON o.series_id = s.id WHERE s.id = ? AND s.one_on_one = TRUE GROUP BY s.id, s.pair_id, s.continues`, id).
		Scan(&pairID, &continues, &first)
	return pairID, continues, first, err == nil
}

// Cancelled is an occurrence whose cancellation the history recorded.
type Cancelled struct {
	SeriesID   int64
	Key, Start string
	StartsAt   time.Time
}

// Cancellations returns the occurrences of the pair's series other than
// id still cancelled by an event with detail observed at or after since,
// that start after that event and at or after from; by series and start.
func (t *Tx) Cancellations(pairID, id int64, detail string, since, from time.Time) ([]Cancelled, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT h.series_id, o.recurrence_id, o.start, o.starts_at FROM history h
		JOIN occurrences o ON o.series_id = h.series_id AND o.recurrence_id = h.recurrence_id
		WHERE h.pair_id = ? AND h.series_id != ? AND h.kind = 'cancelled' AND h.detail = ? AND h.observed_at >= ?
		AND o.state = 'cancelled' AND o.starts_at > h.observed_at AND o.starts_at >= ? ORDER BY h.series_id, o.starts_at`,
		pairID, id, detail, utc(since), utc(from))
	if err != nil {
		return nil, fmt.Errorf("split: %w", err)
	}
	defer rows.Close()
	var out []Cancelled
	for rows.Next() {
		var c Cancelled
		var at string
		if err := rows.Scan(&c.SeriesID, &c.Key, &c.Start, &at); err != nil {
			return nil, fmt.Errorf("split: %w", err)
		}
		c.StartsAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// DeleteCancellations takes back the series' cancelled events with
// detail of the occurrences keys.
func (t *Tx) DeleteCancellations(seriesID int64, detail string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	q := `DELETE FROM history WHERE series_id = ? AND kind = 'cancelled' AND detail = ? AND recurrence_id IN (?` + strings.Repeat(", ?", len(keys)-1) + `)`
	args := []any{seriesID, detail}
	for _, k := range keys {
		args = append(args, k)
	}
	if _, err := t.tx.ExecContext(t.ctx, q, args...); err != nil {
		return fmt.Errorf("split: take back cancellations: %w", err)
	}
	return nil
}
