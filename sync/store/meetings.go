package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is returned when the occurrence asked for is not stored.
var ErrNotFound = errors.New("sync: not found")

// MeetingRow is one tracked occurrence with its series, as stored.
type MeetingRow struct {
	SeriesUID, RecurrenceID string
	Start, End              string // as stored: RFC 3339, or a date when AllDay
	AllDay                  bool
	State, TimeZone         string
	Summary, Calendar       string
	Organizer, People       string // People is JSON [{email, name}]
	Number                  int    // its place among the series' meetings
}

// PairMeetingRow adds what the history says of the occurrence.
type PairMeetingRow struct {
	MeetingRow
	NoticeHours    sql.NullFloat64 // of its last move or cancellation
	Moved, NotHeld bool
}

const meetingColumns = `s.uid, o.recurrence_id, o.start, o."end", o.all_day, o.state, s.timezone, s.summary, c.name, s.organizer, s.people,
	(SELECT count(*) FROM occurrences p WHERE p.series_id = o.series_id AND p.starts_at <= o.starts_at
	 AND p.state NOT IN ('cancelled', 'declined', 'superseded'))`

const meetingFrom = ` FROM occurrences o JOIN series s ON s.id = o.series_id JOIN calendars c ON c.id = s.calendar_id`

// historyColumns say of each occurrence the notice of its last move or
// cancellation, whether it was ever moved, whether someone said it did
// not happen.
const historyColumns = `,
	(SELECT h.notice_hours FROM history h WHERE h.series_id = o.series_id AND h.recurrence_id = o.recurrence_id
	 AND h.kind IN ('moved', 'cancelled', 'declined') AND h.notice_hours IS NOT NULL ORDER BY h.id DESC LIMIT 1),
	EXISTS (SELECT 1 FROM history h WHERE h.series_id = o.series_id AND h.recurrence_id = o.recurrence_id AND h.kind = 'moved'),
	EXISTS (SELECT 1 FROM history h WHERE h.series_id = o.series_id AND h.recurrence_id = o.recurrence_id AND h.kind = 'not_held')`

type scanner interface{ Scan(...any) error }

func scanMeeting(r scanner, extra ...any) (MeetingRow, error) {
	var m MeetingRow
	err := r.Scan(append([]any{&m.SeriesUID, &m.RecurrenceID, &m.Start, &m.End, &m.AllDay, &m.State, &m.TimeZone, &m.Summary,
		&m.Calendar, &m.Organizer, &m.People, &m.Number}, extra...)...)
	return m, err
}

// Upcoming returns the active 1:1 occurrences starting in [from, to).
func (s Store) Upcoming(ctx context.Context, from, to time.Time) ([]MeetingRow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+meetingColumns+meetingFrom+`
		WHERE s.one_on_one = TRUE AND s.state = 'active' AND o.starts_at >= ? AND o.starts_at < ? ORDER BY o.starts_at, s.uid`,
		utc(from), utc(to))
	if err != nil {
		return nil, fmt.Errorf("sync: upcoming meetings: %w", err)
	}
	defer rows.Close()
	var out []MeetingRow
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, fmt.Errorf("sync: upcoming meetings: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Meeting returns one occurrence, or ErrNotFound.
func (s Store) Meeting(ctx context.Context, seriesUID, recurrenceID string) (MeetingRow, error) {
	row := s.DB.QueryRowContext(ctx, `SELECT `+meetingColumns+meetingFrom+` WHERE s.uid = ? AND o.recurrence_id = ?`, seriesUID, recurrenceID)
	return oneMeeting(scanMeeting(row))
}

// Previous returns the pair's last occurrence before start in any of the
// pair's series that was held or is still to be held, or ErrNotFound.
func (s Store) Previous(ctx context.Context, seriesUID string, start time.Time) (MeetingRow, error) {
	row := s.DB.QueryRowContext(ctx, `SELECT `+meetingColumns+meetingFrom+`
		WHERE s.pair_id = (SELECT pair_id FROM series WHERE uid = ?) AND o.starts_at < ?
		AND o.state IN ('held', 'scheduled', 'moved') ORDER BY o.starts_at DESC LIMIT 1`, seriesUID, utc(start))
	return oneMeeting(scanMeeting(row))
}

func oneMeeting(m MeetingRow, err error) (MeetingRow, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("sync: meeting: %w", err)
	}
	return m, nil
}

// PairMeetings returns the occurrences of every series of the pair a, b
// (a < b) that start before until, oldest first.
func (s Store) PairMeetings(ctx context.Context, a, b string, until time.Time) ([]PairMeetingRow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+meetingColumns+historyColumns+meetingFrom+`
		WHERE s.pair_id = (SELECT id FROM pairs WHERE a = ? AND b = ?) AND o.starts_at < ?
		ORDER BY o.starts_at, s.uid`, a, b, utc(until))
	if err != nil {
		return nil, fmt.Errorf("sync: occurrences of %s,%s: %w", a, b, err)
	}
	defer rows.Close()
	var out []PairMeetingRow
	for rows.Next() {
		var p PairMeetingRow
		p.MeetingRow, err = scanMeeting(rows, &p.NoticeHours, &p.Moved, &p.NotHeld)
		if err != nil {
			return nil, fmt.Errorf("sync: occurrences of %s,%s: %w", a, b, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
