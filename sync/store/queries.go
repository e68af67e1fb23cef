package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// SeriesRow is one stored series as `oneonone series` lists it.
type SeriesRow struct {
	UID, Summary, Calendar string
	Participants           string // comma-separated
	OneOnOne               bool
	Why, State             string
	Writable               bool
	Continues              string
	Next, First            sql.NullString // next planned start, first start
}

// ListSeries returns every recurring series, 1:1s first, then by title;
// Next is the first planned start after now.
func (s Store) ListSeries(ctx context.Context, now time.Time) ([]SeriesRow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT s.uid, s.summary, c.name, s.participants, s.one_on_one, s.why, s.state, s.organizer_copy, s.continues,
		(SELECT o.start FROM occurrences o WHERE o.series_id = s.id AND o.state IN ('scheduled', 'moved') AND o.starts_at > ? ORDER BY o.starts_at LIMIT 1),
		(SELECT o.start FROM occurrences o WHERE o.series_id = s.id ORDER BY o.starts_at LIMIT 1)
		FROM series s JOIN calendars c ON c.id = s.calendar_id ORDER BY s.one_on_one DESC, s.state, s.summary, s.uid`, utc(now))
	if err != nil {
		return nil, fmt.Errorf("sync: list series: %w", err)
	}
	defer rows.Close()
	var out []SeriesRow
	for rows.Next() {
		var r SeriesRow
		if err := rows.Scan(&r.UID, &r.Summary, &r.Calendar, &r.Participants, &r.OneOnOne, &r.Why, &r.State, &r.Writable, &r.Continues, &r.Next, &r.First); err != nil {
			return nil, fmt.Errorf("sync: list series: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// EventRow is one history event with its pair and series.
type EventRow struct {
	A, B, SeriesUID, Summary string
	RecurrenceID, Kind       string
	From, To                 sql.NullString
	ObservedAt               string
	NoticeHours              sql.NullFloat64
	Detail, ConfirmedBy      string
}

// History returns the history events, oldest first, of every pair, or of
// the pair a, b (normalized, a < b) when a is not empty.
func (s Store) History(ctx context.Context, a, b string) ([]EventRow, error) {
	q := `SELECT p.a, p.b, s.uid, s.summary, h.recurrence_id, h.kind, h.from_time, h.to_time, h.observed_at, h.notice_hours, h.detail, h.confirmed_by
		FROM history h JOIN pairs p ON p.id = h.pair_id JOIN series s ON s.id = h.series_id`
	var args []any
	if a != "" {
		q += ` WHERE p.a = ? AND p.b = ?`
		args = append(args, a, b)
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY h.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sync: history: %w", err)
	}
	defer rows.Close()
	var out []EventRow
	for rows.Next() {
		var e EventRow
		if err := rows.Scan(&e.A, &e.B, &e.SeriesUID, &e.Summary, &e.RecurrenceID, &e.Kind, &e.From, &e.To, &e.ObservedAt, &e.NoticeHours, &e.Detail, &e.ConfirmedBy); err != nil {
			return nil, fmt.Errorf("sync: history: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OccurrenceRow is one occurrence of a pair, for the export.
type OccurrenceRow struct {
	SeriesUID, Summary, RecurrenceID string
	Start, End, Status               string
}

// PairOccurrences returns the 1:1 occurrences of the pair a, b
// (normalized, a < b) that start in [since, until], by start.
func (s Store) PairOccurrences(ctx context.Context, a, b string, since, until time.Time) ([]OccurrenceRow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT s.uid, s.summary, o.recurrence_id, o.start, o."end", o.state
		FROM occurrences o JOIN series s ON s.id = o.series_id JOIN pairs p ON p.id = s.pair_id
		WHERE p.a = ? AND p.b = ? AND s.one_on_one = TRUE AND o.starts_at >= ? AND o.starts_at <= ?
		ORDER BY o.starts_at, s.uid`, a, b, utc(since), utc(until))
	if err != nil {
		return nil, fmt.Errorf("sync: occurrences of %s,%s: %w", a, b, err)
	}
	defer rows.Close()
	var out []OccurrenceRow
	for rows.Next() {
		var o OccurrenceRow
		if err := rows.Scan(&o.SeriesUID, &o.Summary, &o.RecurrenceID, &o.Start, &o.End, &o.Status); err != nil {
			return nil, fmt.Errorf("sync: occurrences of %s,%s: %w", a, b, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// LatestSeries is the uid, title and people (JSON) of the pair's latest
// series.
func (s Store) LatestSeries(ctx context.Context, a, b string) (uid, summary, people string, err error) {
	err = s.DB.QueryRowContext(ctx, `SELECT s.uid, s.summary, s.people FROM series s JOIN pairs p ON p.id = s.pair_id
		WHERE p.a = ? AND p.b = ? ORDER BY s.first_seen DESC, s.id DESC LIMIT 1`, a, b).Scan(&uid, &summary, &people)
	if err != nil {
		return "", "", "", fmt.Errorf("sync: latest series of %s,%s: %w", a, b, err)
	}
	return uid, summary, people, nil
}

// utc is how a time is stored: RFC 3339 in UTC.
func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }
