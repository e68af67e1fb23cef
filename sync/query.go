package sync

import (
	"context"
	"database/sql"
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
// first, then by title; sharing says how each kind of calendar shares
// its copies, for the agenda routes.
func ListSeries(ctx context.Context, d *sql.DB, now time.Time, sharing KindSharing) ([]SeriesInfo, error) {
	rows, err := queries(d).ListSeries(ctx, now)
	if err != nil {
		return nil, err
	}
	out := make([]SeriesInfo, 0, len(rows))
	for _, r := range rows {
		s := SeriesInfo{UID: r.UID, Summary: r.Summary, Calendar: r.Calendar, Participants: splitList(r.Participants),
			OneOnOne: r.OneOnOne, Why: r.Why, State: r.State, Writable: r.Writable, Continues: r.Continues}
		if s.Continues != "" && len(r.First.String) >= 10 {
			s.Since = r.First.String[:10]
		}
		if r.Next.Valid {
			s.Next = &r.Next.String
		}
		out = append(out, s)
	}
	return out, addAgendaRoutes(ctx, d, out, sharing)
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
	var a, b string
	if len(pair) == 2 {
		a, b = normalPair(pair)
	}
	rows, err := queries(d).History(ctx, a, b)
	if err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(rows))
	for _, r := range rows {
		e := Event{Pair: []string{r.A, r.B}, SeriesUID: r.SeriesUID, Summary: r.Summary, Kind: r.Kind,
			ObservedAt: r.ObservedAt, Detail: r.Detail}
		if r.ConfirmedBy != "" || e.Kind == "held" {
			e.ConfirmedBy = splitList(r.ConfirmedBy)
		}
		if r.RecurrenceID != "" {
			e.RecurrenceID = &r.RecurrenceID
		}
		if r.From.Valid {
			e.From = &r.From.String
		}
		if r.To.Valid {
			e.To = &r.To.String
		}
		if r.NoticeHours.Valid {
			e.NoticeHours = &r.NoticeHours.Float64
			e.NoticeMinutes = noticeMinutes(r.From.String, e.ObservedAt, r.NoticeHours.Float64)
		}
		out = append(out, e)
	}
	return out, nil
}

// normalPair is a pair as stored: lower case, in order.
func normalPair(pair []string) (string, string) {
	a, b := strings.ToLower(strings.TrimSpace(pair[0])), strings.ToLower(strings.TrimSpace(pair[1]))
	if b < a {
		a, b = b, a
	}
	return a, b
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
	own := byPair(events) // each pair's record reads its own events only
	out := make([]PairStats, 0, len(order))
	for _, k := range order {
		st := by[k]
		st.Streak, st.CancelRate8 = record(own[k], st.Pair)
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
