package sync

import (
	"context"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// PairOccurrences implements prep.PairHistory: the occurrences of every
// series of the pair, also those it split into, oldest first.
func (m Meetings) PairOccurrences(ctx context.Context, a, b string, until time.Time) ([]calendars.PastMeeting, error) {
	rows, err := m.store().PairMeetings(ctx, a, b, until)
	if err != nil {
		return nil, err
	}
	var out []calendars.PastMeeting
	for _, r := range rows {
		var pm calendars.PastMeeting
		if pm.Meeting, err = toMeeting(r.MeetingRow); err != nil {
			return nil, fmt.Errorf("sync: occurrences of %s,%s: %w", a, b, err)
		}
		pm.Moved = r.Moved
		pm.Status = pm.State
		if r.NotHeld {
			pm.Status = calendars.PastNotHeld
		}
		if r.NoticeHours.Valid {
			pm.NoticeHours = &r.NoticeHours.Float64
		}
		out = append(out, pm)
	}
	return out, nil
}
