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
