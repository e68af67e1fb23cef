package sync

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// SeriesInfo is one stored series, for `oneonone series`.
type SeriesInfo struct {
	UID          string   `json:"uid"`
	Summary      string   `json:"summary"`
	Calendar     string   `json:"calendar"`
	Participants []string `json:"participants"`
	OneOnOne     bool     `json:"one_on_one"`
	Why          string   `json:"why"`
	Next         *string  `json:"next"`
	State        string   `json:"state"`
	Writable     bool     `json:"organizer_copy"`
	Continues    string   `json:"continues,omitempty"`
	// Agenda says, for each participant of an active 1:1, where the
	// agenda reaches them.
	Agenda []AgendaRoute `json:"agenda,omitempty"`
	// Since is the first day of a series that continues another (a
	// "this and following" split), YYYY-MM-DD.
	Since string `json:"since,omitempty"`
}

// ListSeries returns every recurring series seen, taken or not, 1:1s
// first, then by title.
func ListSeries(ctx context.Context, d *sql.DB, now time.Time) ([]SeriesInfo, error) {
	rows, err := d.QueryContext(ctx, `SELECT s.uid, s.summary, c.name, s.participants, s.one_on_one, s.why, s.state, s.organizer_copy, s.continues,
		(SELECT o.start FROM occurrences o WHERE o.series_id = s.id AND o.state IN ('scheduled', 'moved') AND o.starts_at > ? ORDER BY o.starts_at LIMIT 1),
		(SELECT o.start FROM occurrences o WHERE o.series_id = s.id ORDER BY o.starts_at LIMIT 1)
		FROM series s JOIN calendars c ON c.id = s.calendar_id ORDER BY s.one_on_one DESC, s.state, s.summary, s.uid`, now.UTC().Format(time.RFC3339))
	if err != nil {
		return nil, fmt.Errorf("sync: list series: %w", err)
	}
	defer rows.Close()
	out := []SeriesInfo{}
	for rows.Next() {
		var s SeriesInfo
		var people string
		var next, first sql.NullString
		if err := rows.Scan(&s.UID, &s.Summary, &s.Calendar, &people, &s.OneOnOne, &s.Why, &s.State, &s.Writable, &s.Continues, &next, &first); err != nil {
			return nil, err
		}
		if s.Continues != "" && len(first.String) >= 10 {
			s.Since = first.String[:10]
		}
		s.Participants = splitList(people)
		if next.Valid {
			s.Next = &next.String
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, addAgendaRoutes(ctx, d, out)
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// Event is one history event, for `oneonone history`.
type Event struct {
	Pair         []string `json:"pair"`
	SeriesUID    string   `json:"series_uid"`
	Summary      string   `json:"summary"`
	RecurrenceID *string  `json:"recurrence_id"`
	Kind         string   `json:"kind"`
	From         *string  `json:"from"`
	To           *string  `json:"to"`
	ObservedAt   string   `json:"observed_at"`
	NoticeHours  *float64 `json:"notice_hours"`
	Detail       string   `json:"detail,omitempty"`
	// ConfirmedBy: on held, who confirmed it happened ([] when nobody
	// did yet); on not_held and a reported move, who said so; null on
	// other events.
	ConfirmedBy []string `json:"confirmed_by"`
	// NoticeMinutes is the same notice to the minute: between observing
	// the change and the start that was planned.
	NoticeMinutes *int `json:"notice_minutes,omitempty"`
}

// History returns the history events, oldest first, of every pair or of
// the one pair given (two addresses, any order).
func History(ctx context.Context, d *sql.DB, pair []string) ([]Event, error) {
	q := `SELECT p.a, p.b, s.uid, s.summary, h.recurrence_id, h.kind, h.from_time, h.to_time, h.observed_at, h.notice_hours, h.detail, h.confirmed_by
		FROM history h JOIN pairs p ON p.id = h.pair_id JOIN series s ON s.id = h.series_id`
	var args []any
	if len(pair) == 2 {
		a, b := strings.ToLower(strings.TrimSpace(pair[0])), strings.ToLower(strings.TrimSpace(pair[1]))
		if b < a {
			a, b = b, a
		}
		q += ` WHERE p.a = ? AND p.b = ?`
		args = append(args, a, b)
	}
	rows, err := d.QueryContext(ctx, q+` ORDER BY h.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sync: history: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var a, b, key, by string
		var from, to sql.NullString
		var notice sql.NullFloat64
		if err := rows.Scan(&a, &b, &e.SeriesUID, &e.Summary, &key, &e.Kind, &from, &to, &e.ObservedAt, &notice, &e.Detail, &by); err != nil {
			return nil, err
		}
		if by != "" || e.Kind == "held" {
			e.ConfirmedBy = splitList(by)
		}
		e.Pair = []string{a, b}
		if key != "" {
			e.RecurrenceID = &key
		}
		if from.Valid {
			e.From = &from.String
		}
		if to.Valid {
			e.To = &to.String
		}
		if notice.Valid {
			e.NoticeHours = &notice.Float64
			e.NoticeMinutes = noticeMinutes(from.String, e.ObservedAt, notice.Float64)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// noticeMinutes is the notice of an event to the minute: the planned start
// (from) less the time it was observed, or the stored hours where from is
// a date (all-day).
func noticeMinutes(from, observed string, hours float64) *int {
	n := int(math.Round(hours * 60))
	f, err1 := time.Parse(time.RFC3339, from)
	o, err2 := time.Parse(time.RFC3339, observed)
	if err1 == nil && err2 == nil {
		n = int(math.Round(f.Sub(o).Minutes()))
	}
	return &n
}

// PairStats sums up a pair's history.
type PairStats struct {
	Pair      []string `json:"pair"`
	Held      int      `json:"held"`
	Moved     int      `json:"moved"`
	Cancelled int      `json:"cancelled"`
	Declined  int      `json:"declined"`
	NotHeld   int      `json:"not_held"`
	// ConsecutiveCancellations is the current run of cancelled or
	// declined occurrences since the last one held.
	ConsecutiveCancellations int `json:"consecutive_cancellations"`
	// TypicalNoticeHours is the median notice of moves and cancellations.
	TypicalNoticeHours *float64 `json:"typical_notice_hours"`
	// Streak is how many of the pair's latest occurrences in a row were
	// cancelled, declined or not held (see record.go).
	Streak int `json:"streak"`
	// CancelRate8 is the share of the last 8 occurrences with an outcome
	// that did not happen; null before any.
	CancelRate8 *float64 `json:"cancel_rate_8"`
	// TypicalNoticeMinutes is that median to the minute.
	TypicalNoticeMinutes *int `json:"typical_notice_minutes,omitempty"`
}

// Stats sums events up per pair, in the order pairs first appear.
func Stats(events []Event) []PairStats {
	var order []string
	by := map[string]*PairStats{}
	notices := map[string][]float64{}
	minutes := map[string][]int{}
	for _, e := range events {
		k := e.Pair[0] + "," + e.Pair[1]
		st, ok := by[k]
		if !ok {
			st = &PairStats{Pair: e.Pair}
			by[k] = st
			order = append(order, k)
		}
		switch e.Kind {
		case "held":
			st.Held++
			st.ConsecutiveCancellations = 0
		case "moved":
			st.Moved++
		case "cancelled":
			st.Cancelled++
			st.ConsecutiveCancellations++
		case "declined":
			st.Declined++
			st.ConsecutiveCancellations++
		case "not_held":
			st.NotHeld++
		}
		if e.NoticeHours != nil && (e.Kind == "moved" || e.Kind == "cancelled") {
			notices[k] = append(notices[k], *e.NoticeHours)
			if e.NoticeMinutes != nil {
				minutes[k] = append(minutes[k], *e.NoticeMinutes)
			}
		}
	}
	out := make([]PairStats, 0, len(order))
	for _, k := range order {
		st := by[k]
		st.Streak, st.CancelRate8 = record(events, st.Pair)
		if n := notices[k]; len(n) > 0 {
			sort.Float64s(n)
			m := n[len(n)/2]
			st.TypicalNoticeHours = &m
		}
		if n := minutes[k]; len(n) > 0 {
			sort.Ints(n)
			st.TypicalNoticeMinutes = &n[len(n)/2]
		}
		out = append(out, *st)
	}
	return out
}
