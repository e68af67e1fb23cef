package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync/store"
)

// Meetings serves prep the tracked 1:1 occurrences (prep.Meetings).
type Meetings struct {
	DB *sql.DB
}

// Upcoming implements prep.Meetings.
func (m Meetings) Upcoming(ctx context.Context, from, to time.Time) ([]calendars.Meeting, error) {
	rows, err := m.store().Upcoming(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var out []calendars.Meeting
	for _, r := range rows {
		mt, err := toMeeting(r)
		if err != nil {
			return nil, err
		}
		out = append(out, mt)
	}
	return out, nil
}

// Meeting implements prep.Meetings.
func (m Meetings) Meeting(ctx context.Context, seriesUID, recurrenceID string) (calendars.Meeting, error) {
	r, err := m.store().Meeting(ctx, seriesUID, recurrenceID)
	if errors.Is(err, store.ErrNotFound) {
		return calendars.Meeting{}, calendars.ErrNoMeeting
	}
	if err != nil {
		return calendars.Meeting{}, err
	}
	return toMeeting(r)
}

// Previous implements prep.Meetings: the pair's last meeting before m,
// in any of the pair's series, that was held or is still to be held.
func (m Meetings) Previous(ctx context.Context, cur calendars.Meeting) (*calendars.Meeting, error) {
	r, err := m.store().Previous(ctx, cur.SeriesUID, cur.Start)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	mt, err := toMeeting(r)
	if err != nil {
		return nil, err
	}
	return &mt, nil
}

func toMeeting(r store.MeetingRow) (calendars.Meeting, error) {
	mt := calendars.Meeting{SeriesUID: r.SeriesUID, RecurrenceID: r.RecurrenceID, State: r.State, TimeZone: r.TimeZone,
		Summary: r.Summary, Calendar: r.Calendar, Organizer: r.Organizer, Number: r.Number}
	loc := time.UTC
	if mt.TimeZone != "" {
		if l, err := time.LoadLocation(mt.TimeZone); err == nil {
			loc = l
		}
	}
	var err error
	if mt.Start, err = parseStored(r.Start, r.AllDay, loc); err != nil {
		return mt, err
	}
	if mt.End, err = parseStored(r.End, r.AllDay, loc); err != nil {
		return mt, err
	}
	var ps []struct{ Email, Name string }
	if err := json.Unmarshal([]byte(r.People), &ps); err == nil && len(ps) == 2 {
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
