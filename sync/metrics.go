package sync

import (
	"context"
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	historyDesc = prometheus.NewDesc("oneonone_history_events_total", "History events recorded, by kind.", []string{"kind"}, nil)
	healthDesc  = prometheus.NewDesc("oneonone_calendar_healthy", "1 when the calendar's last sync succeeded.", []string{"calendar"}, nil)
)

// Collector reports, at scrape time, what the engine's store knows: the
// history events by kind and each calendar's health.
type Collector struct {
	DB *sql.DB
}

// Describe implements prometheus.Collector.
func (c Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- historyDesc
	ch <- healthDesc
}

// Collect implements prometheus.Collector; a failing read leaves its
// metrics out of this scrape.
func (c Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if kinds, err := HistoryCounts(ctx, c.DB); err == nil {
		for kind, n := range kinds {
			ch <- prometheus.MustNewConstMetric(historyDesc, prometheus.CounterValue, float64(n), kind)
		}
	}
	if cals, err := Health(ctx, c.DB); err == nil {
		for _, cal := range cals {
			healthy := 0.0
			if cal.Healthy {
				healthy = 1
			}
			ch <- prometheus.MustNewConstMetric(healthDesc, prometheus.GaugeValue, healthy, cal.Name)
		}
	}
}
