package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Meetings serves prep the tracked 1:1 occurrences (prep.Meetings).
type Meetings struct {
	DB *sql.DB
}

const meetingColumns = `s.uid, o.recurrence_id, o.start, o.end, o.all_day, o.state, s.timezone, s.summary, c.name, s.organizer, s.people,
	(SELECT count(*) FROM occurrences p WHERE p.series_id = o.series_id AND p.starts_at <= o.starts_at
	 AND p.state NOT IN ('cancelled', 'declined', 'superseded'))
	FROM occurrences o JOIN series s ON s.id = o.series_id JOIN calendars c ON c.id = s.calendar_id`

// Upcoming implements prep.Meetings.
func (m Meetings) Upcoming(ctx context.Context, from, to time.Time) ([]calendars.Meeting, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT `+meetingColumns+`
		WHERE s.one_on_one = 1 AND s.state = 'active' AND o.starts_at >= ? AND o.starts_at < ? ORDER BY o.starts_at, s.uid`,
		from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	if err != nil {
		return nil, fmt.Errorf("sync: upcoming meetings: %w", err)
	}
	defer rows.Close()
	var out []calendars.Meeting
	for rows.Next() {
		mt, err := scanMeeting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, mt)
	}
	return out, rows.Err()
}

// Meeting implements prep.Meetings.
func (m Meetings) Meeting(ctx context.Context, seriesUID, recurrenceID string) (calendars.Meeting, error) {
	row := m.DB.QueryRowContext(ctx, `SELECT `+meetingColumns+` WHERE s.uid = ? AND o.recurrence_id = ?`, seriesUID, recurrenceID)
	mt, err := scanMeeting(row)
	if errors.Is(err, sql.ErrNoRows) {
		return mt, calendars.ErrNoMeeting
	}
	return mt, err
}

// Previous implements prep.Meetings: the pair's last meeting before m,
// in any of the pair's series, that was held or is still to be held.
func (m Meetings) Previous(ctx context.Context, cur calendars.Meeting) (*calendars.Meeting, error) {
	row := m.DB.QueryRowContext(ctx, `SELECT `+meetingColumns+`
		WHERE s.pair_id = (SELECT pair_id FROM series WHERE uid = ?) AND o.starts_at < ?
		AND o.state IN ('held', 'scheduled', 'moved') ORDER BY o.starts_at DESC LIMIT 1`,
		cur.SeriesUID, cur.Start.UTC().Format(time.RFC3339))
	mt, err := scanMeeting(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &mt, nil
}

type scanner interface{ Scan(...any) error }

func scanMeeting(r scanner) (calendars.Meeting, error) {
	var mt calendars.Meeting
	var start, end, people string
	var allDay bool
	err := r.Scan(&mt.SeriesUID, &mt.RecurrenceID, &start, &end, &allDay, &mt.State, &mt.TimeZone, &mt.Summary, &mt.Calendar, &mt.Organizer, &people, &mt.Number)
	if err != nil {
		return mt, err
	}
	loc := time.UTC
	if mt.TimeZone != "" {
		if l, err := time.LoadLocation(mt.TimeZone); err == nil {
			loc = l
		}
	}
	if mt.Start, err = parseStored(start, allDay, loc); err != nil {
		return mt, err
	}
	if mt.End, err = parseStored(end, allDay, loc); err != nil {
		return mt, err
	}
	var ps []struct{ Email, Name string }
	if err := json.Unmarshal([]byte(people), &ps); err == nil && len(ps) == 2 {
		mt.People = [2]calendars.Person{{Email: ps[0].Email, Name: ps[0].Name}, {Email: ps[1].Email, Name: ps[1].Name}}
	}
	return mt, nil
}

func parseStored(s string, allDay bool, loc *time.Location) (time.Time, error) {
	if allDay {
		return time.ParseInLocation("2006-01-02", s, loc)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fmt.Errorf("sync: stored time %q: %w", s, err)
	}
	return t.In(loc), nil
}
