package prep

import (
	"context"
	"fmt"
	"time"
)

// agendaReads is what settling an agenda needs of prep's store.
type agendaReads interface {
	LastAnswerEdit(ctx context.Context, requestIDs []int64) (time.Time, error)
}

// When an agenda is delivered. Every write into a calendar can make a
// scheduling server mail the other participant, and every agenda mail is
// a mail, so the agenda goes out once per settled change rather than once
// per save:
//
//   - settled: both people have answered, or only one has and the
//     cut-off (Settings.AgendaCutoff before the start) has come;
//   - then quiet: no answer of the meeting changed for
//     Settings.AgendaQuiet, so that a burst of edits (a typo fixed, a
//     point added) is one delivery;
//   - and at the start, the final state, whatever the above.
//
// The default quiet period is 5 minutes: people who come back to their
// answers do so within a minute or two, and 5 minutes keeps the event
// current long before anyone opens it for the meeting.

// ready reports whether m's changed agenda may be delivered now.
func (w *AgendaWorker) ready(ctx context.Context, now time.Time, m Meeting, reqs map[string]request) (bool, error) {
	if !now.Before(m.Start) {
		return true, nil
	}
	if !bothAnswered(reqs) && now.Before(m.Start.Add(-w.Settings.agendaCutoff())) {
		return false, nil
	}
	last, err := lastEdit(ctx, onDB(w.DB), reqs)
	if err != nil {
		return false, err
	}
	return !now.Before(last.Add(w.Settings.agendaQuiet())), nil
}

func bothAnswered(reqs map[string]request) bool {
	if len(reqs) < 2 {
		return false
	}
	for _, r := range reqs {
		if r.Answered.IsZero() {
			return false
		}
	}
	return true
}

// lastEdit is when an answer of the requests last changed (zero when
// never).
func lastEdit(ctx context.Context, q reads, reqs map[string]request) (time.Time, error) {
	if len(reqs) == 0 {
		return time.Time{}, nil
	}
	ids := make([]int64, 0, len(reqs))
	for _, r := range reqs {
		ids = append(ids, r.ID)
	}
	last, err := q.LastAnswerEdit(ctx, ids)
	if err != nil {
		return time.Time{}, fmt.Errorf("prep: last answer edit: %w", err)
	}
	return last, nil
}
