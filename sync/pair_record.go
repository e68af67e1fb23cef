package sync

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// pairColumns are meetingColumns without their FROM clause, followed by
// what the history says of each occurrence: the notice of its last move
// or cancellation, whether it was ever moved, whether someone said it
// did not happen.
var pairColumns = func() string {
	cols, from, ok := strings.Cut(meetingColumns, "FROM occurrences o")
	if !ok {
		panic("sync: meetingColumns has no FROM occurrences o")
	}
	return cols + `,
	(SELECT h.notice_hours FROM history h WHERE h.series_id = o.series_id AND h.recurrence_id = o.recurrence_id
	 AND h.kind IN ('moved', 'cancelled', 'declined') AND h.notice_hours IS NOT NULL ORDER BY h.id DESC LIMIT 1),
	EXISTS (SELECT 1 FROM history h WHERE h.series_id = o.series_id AND h.recurrence_id = o.recurrence_id AND h.kind = 'moved'),
	EXISTS (SELECT 1 FROM history h WHERE h.series_id = o.series_id AND h.recurrence_id = o.recurrence_id AND h.kind = 'not_held')
	FROM occurrences o` + from
}()

// PairOccurrences implements prep.PairHistory: the occurrences of every
// series of the pair, also those it split into, oldest first.
func (m Meetings) PairOccurrences(ctx context.Context, a, b string, until time.Time) ([]calendars.PastMeeting, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT `+pairColumns+`
		WHERE s.pair_id = (SELECT id FROM pairs WHERE a = ? AND b = ?) AND o.starts_at < ?
		ORDER BY o.starts_at, s.uid`, a, b, until.UTC().Format(time.RFC3339))
	if err != nil {
		return nil, fmt.Errorf("sync: occurrences of %s,%s: %w", a, b, err)
	}
	defer rows.Close()
	var out []calendars.PastMeeting
	for rows.Next() {
		var pm calendars.PastMeeting
		var notice sql.NullFloat64
		var notHeld bool
		pm.Meeting, err = scanMeeting(withExtra{rows, []any{&notice, &pm.Moved, &notHeld}})
		if err != nil {
			return nil, fmt.Errorf("sync: occurrences of %s,%s: %w", a, b, err)
		}
		pm.Status = pm.State
		if notHeld {
			pm.Status = calendars.PastNotHeld
		}
		if notice.Valid {
			pm.NoticeHours = &notice.Float64
		}
		out = append(out, pm)
	}
	return out, rows.Err()
}

// withExtra scans a row into scanMeeting's destinations and then extra.
type withExtra struct {
	r     scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.r.Scan(append(dest, w.extra...)...) }
