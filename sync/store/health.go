package store

import (
	"context"
	"fmt"
)

// CalendarHealthRow is one calendar's health as the engine last recorded it.
type CalendarHealthRow struct {
	Name      string
	Healthy   bool
	LastError string
}

// CalendarHealth returns every calendar's health, by name.
func (s Store) CalendarHealth(ctx context.Context) ([]CalendarHealthRow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT name, healthy, last_error FROM calendars ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sync: calendar health: %w", err)
	}
	defer rows.Close()
	var out []CalendarHealthRow
	for rows.Next() {
		var r CalendarHealthRow
		if err := rows.Scan(&r.Name, &r.Healthy, &r.LastError); err != nil {
			return nil, fmt.Errorf("sync: calendar health: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// HistoryCounts returns how many history events of each kind there are.
func (s Store) HistoryCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT kind, count(*) FROM history GROUP BY kind`)
	if err != nil {
		return nil, fmt.Errorf("sync: history counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("sync: history counts: %w", err)
		}
		out[kind] = n
	}
	return out, rows.Err()
}
