package sync

import (
	"sort"
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
