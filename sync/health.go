package sync

import (
	"context"
	"database/sql"

	"github.com/oneonone/oneonone/sync/store"
)

// CalendarHealth is one calendar's health as the last sync or set-up
// left it, for /readyz and /metrics: the store's row as it is.
type CalendarHealth = store.CalendarHealthRow

// healthStore is what reporting health needs of the store.
type healthStore interface {
	CalendarHealth(ctx context.Context) ([]store.CalendarHealthRow, error)
	HistoryCounts(ctx context.Context) (map[string]int, error)
}

func health(d *sql.DB) healthStore { return store.New(d) }

// Health returns every calendar's health, by name.
func Health(ctx context.Context, d *sql.DB) ([]CalendarHealth, error) {
	return health(d).CalendarHealth(ctx)
}

// HistoryCounts returns how many history events of each kind were
// recorded, for /metrics.
func HistoryCounts(ctx context.Context, d *sql.DB) (map[string]int, error) {
	return health(d).HistoryCounts(ctx)
}
