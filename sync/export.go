package sync

import (
	"context"
	"database/sql"
	"time"
)

// OccurrenceInfo is one occurrence of a pair, for `oneonone export`.
type OccurrenceInfo struct {
	SeriesUID    string `json:"series_uid"`
	Summary      string `json:"summary"`
	RecurrenceID string `json:"recurrence_id"`
	Start        string `json:"start"`
	End          string `json:"end"`
	// Status is scheduled, moved, cancelled, declined, held, not_held or
	// superseded (moved into a series that continues this one).
	Status string `json:"status"`
}

// PairOccurrences returns the occurrences of every series of the pair
// (two addresses, any order) that start at or after since (all when zero)
// and not after until, by start.
func PairOccurrences(ctx context.Context, d *sql.DB, pair []string, since, until time.Time) ([]OccurrenceInfo, error) {
	a, b := normalPair(pair)
	rows, err := queries(d).PairOccurrences(ctx, a, b, since, until)
	if err != nil {
		return nil, err
	}
	out := make([]OccurrenceInfo, 0, len(rows))
	for _, r := range rows {
		out = append(out, OccurrenceInfo(r))
	}
	return out, nil
}

// PairRecord is what `oneonone export` prints of a pair from the engine:
// its history events, their counts and its occurrences.
type PairRecord struct {
	Events      []Event
	Counts      PairStats
	Occurrences []OccurrenceInfo
}

// ReadPairRecord reads the record of pair (two normalized addresses,
// sorted) from since on (all when zero): the events that happened then
// (an occurrence's by its start, others by when they were observed),
// counted, and the occurrences that start then.
func ReadPairRecord(ctx context.Context, d *sql.DB, pair []string, since time.Time) (PairRecord, error) {
	rec := PairRecord{Events: []Event{}, Counts: PairStats{Pair: pair}}
	events, err := History(ctx, d, pair)
	if err != nil {
		return rec, err
	}
	from := since.UTC().Format(time.RFC3339)
	for _, ev := range events {
		if since.IsZero() || eventTime(ev) >= from {
			rec.Events = append(rec.Events, ev)
		}
	}
	if st := Stats(rec.Events); len(st) == 1 {
		rec.Counts = st[0]
	}
	rec.Occurrences, err = PairOccurrences(ctx, d, pair, since, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	return rec, err
}

// eventTime is when an event happened: its occurrence's start, else when
// it was observed.
func eventTime(ev Event) string {
	if ev.RecurrenceID != nil {
		return *ev.RecurrenceID
	}
	return ev.ObservedAt
}
