package sync

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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
	a, b := strings.ToLower(strings.TrimSpace(pair[0])), strings.ToLower(strings.TrimSpace(pair[1]))
	if b < a {
		a, b = b, a
	}
	rows, err := d.QueryContext(ctx, `SELECT s.uid, s.summary, o.recurrence_id, o.start, o.end, o.state
		FROM occurrences o JOIN series s ON s.id = o.series_id JOIN pairs p ON p.id = s.pair_id
		WHERE p.a = ? AND p.b = ? AND s.one_on_one = 1 AND o.starts_at >= ? AND o.starts_at <= ?
		ORDER BY o.starts_at, s.uid`, a, b, since.UTC().Format(time.RFC3339), until.UTC().Format(time.RFC3339))
	if err != nil {
		return nil, fmt.Errorf("sync: occurrences of %s,%s: %w", a, b, err)
	}
	defer rows.Close()
	out := []OccurrenceInfo{}
	for rows.Next() {
		var o OccurrenceInfo
		if err := rows.Scan(&o.SeriesUID, &o.Summary, &o.RecurrenceID, &o.Start, &o.End, &o.Status); err != nil {
			return nil, fmt.Errorf("sync: occurrences of %s,%s: %w", a, b, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
