package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"strings"

	"github.com/oneonone/oneonone/calendars"
)

// RecentWindow is how many of a pair's latest occurrences cancel_rate_8
// looks at.
const RecentWindow = 8

// Outcome is how one occurrence of a pair turned out, as its history says:
// held, cancelled, declined or not_held. Occurrences still to come that
// nothing happened to have none.
type Outcome struct {
	SeriesUID    string
	RecurrenceID string
	Status       string
}

// PairOutcomes returns the outcome of each of the pair's occurrences that has
// one, by original start. The last event about an occurrence decides it (a
// restore takes its cancellation back), so a report after the calendar's
// own "held" wins.
func PairOutcomes(events []Event, pair []string) []Outcome {
	type key struct{ series, rid string }
	last := map[key]string{}
	for _, e := range events {
		if e.RecurrenceID == nil || e.Pair[0] != pair[0] || e.Pair[1] != pair[1] {
			continue
		}
		k := key{e.SeriesUID, *e.RecurrenceID}
		switch e.Kind {
		case "held", "cancelled", "declined", "not_held":
			last[k] = e.Kind
		case "restored":
			delete(last, k)
		}
	}
	out := make([]Outcome, 0, len(last))
	for k, s := range last {
		out = append(out, Outcome{SeriesUID: k.series, RecurrenceID: k.rid, Status: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].RecurrenceID != out[j].RecurrenceID {
			return out[i].RecurrenceID < out[j].RecurrenceID
		}
		return out[i].SeriesUID < out[j].SeriesUID
	})
	return out
}

// byPair groups events by pair ("a,b"), in their order: the per-pair
// figures then cost one pass over all events, not one per pair.
func byPair(events []Event) map[string][]Event {
	out := map[string][]Event{}
	for _, e := range events {
		k := e.Pair[0] + "," + e.Pair[1]
		out[k] = append(out[k], e)
	}
	return out
}

// record is the pair's streak of occurrences in a row that did not
// happen, and the share of the last RecentWindow that did not.
func record(events []Event, pair []string) (streak int, rate *float64) {
	outs := PairOutcomes(events, pair)
	for i := len(outs) - 1; i >= 0 && outs[i].Status != "held"; i-- {
		streak++
	}
	recent := outs[max(0, len(outs)-RecentWindow):]
	if len(recent) == 0 {
		return streak, nil
	}
	missed := 0
	for _, o := range recent {
		if o.Status != "held" {
			missed++
		}
	}
	r := float64(missed) / float64(len(recent))
	return streak, &r
}

// Streaks implements prep.Records: the pairs whose latest min or more
// occurrences in a row did not happen, with their recent record.
func (o Outcomes) Streaks(ctx context.Context, min int) ([]calendars.PairStreak, error) {
	events, err := History(ctx, o.DB, nil)
	if err != nil {
		return nil, err
	}
	var out []calendars.PairStreak
	own := byPair(events)
	for _, st := range Stats(events) {
		if st.Streak < min || min <= 0 {
			continue
		}
		outs := PairOutcomes(own[st.Pair[0]+","+st.Pair[1]], st.Pair)
		r := calendars.PairStreak{Streak: st.Streak, StreakStart: outs[len(outs)-st.Streak].RecurrenceID,
			TypicalNoticeHours: st.TypicalNoticeHours}
		for _, oc := range outs[max(0, len(outs)-RecentWindow):] {
			if oc.Status == "held" {
				r.Held++
			} else {
				r.Missed++
			}
		}
		if err := latestSeries(ctx, o.DB, st.Pair, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// latestSeries fills in the pair's latest 1:1 series and the people as it
// names them.
func latestSeries(ctx context.Context, d *sql.DB, pair []string, r *calendars.PairStreak) error {
	var people string
	var err error
	r.SeriesUID, r.Summary, people, err = queries(d).LatestSeries(ctx, pair[0], pair[1])
	if err != nil {
		return err
	}
	r.People = [2]calendars.Person{{Email: pair[0]}, {Email: pair[1]}}
	var ps []struct{ Email, Name string }
	if json.Unmarshal([]byte(people), &ps) == nil {
		for _, p := range ps {
			for i := range r.People {
				if strings.EqualFold(r.People[i].Email, p.Email) {
					r.People[i].Name = p.Name
				}
			}
		}
	}
	return nil
}
