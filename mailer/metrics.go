package mailer

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var mailsDesc = prometheus.NewDesc("oneonone_mails", "Outbox messages, by state.", []string{"state"}, nil)

// Counter counts the outbox's messages by state (mailer/store's Outbox).
type Counter interface {
	Counts(ctx context.Context) (map[State]int, error)
}

// Collector reports, at scrape time, the outbox's messages by state.
type Collector struct {
	Outbox Counter
}

// Describe implements prometheus.Collector.
func (c Collector) Describe(ch chan<- *prometheus.Desc) { ch <- mailsDesc }

// Collect implements prometheus.Collector; a failing read leaves the
// metric out of this scrape.
func (c Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if counts, err := c.Outbox.Counts(ctx); err == nil {
		for state, n := range counts {
			ch <- prometheus.MustNewConstMetric(mailsDesc, prometheus.GaugeValue, float64(n), string(state))
		}
	}
}
