package sync

import (
	"context"
	"database/sql"

	"github.com/oneonone/oneonone/sync/store"
)

// CalendarHealth is one calendar's health as the last sync or set-up
// left it, for /readyz and /metrics.
type CalendarHealth struct {
	Name      string
	Healthy   bool
	LastError string
}

// healthStore is what reporting health needs of the store.
type healthStore interface {
	CalendarHealth(ctx context.Context) ([]store.CalendarHealthRow, error)
	HistoryCounts(ctx context.Context) (map[string]int, error)
}

func health(d *sql.DB) healthStore { return store.New(d) }

// Health returns every calendar's health, by name.
func Health(ctx context.Context, d *sql.DB) ([]CalendarHealth, error) {
	rows, err := health(d).CalendarHealth(ctx)
	out := make([]CalendarHealth, 0, len(rows))
	for _, r := range rows {
		out = append(out, CalendarHealth(r))
	}
	return out, err
}

// HistoryCounts returns how many history events of each kind were
// recorded, for /metrics.
func HistoryCounts(ctx context.Context, d *sql.DB) (map[string]int, error) {
	return health(d).HistoryCounts(ctx)
}
