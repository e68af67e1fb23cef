package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// instanceMetrics show how the instances sharing a database divide the
// work: the calendars this one holds, those it took over from an
// instance gone silent, the outbox messages it claimed, and how long a
// sync cycle over its calendars takes.
type instanceMetrics struct {
	leasesHeld   prometheus.Gauge
	takeovers    prometheus.Counter
	outboxClaims prometheus.Counter
	cycle        prometheus.Histogram
}

func newInstanceMetrics(reg *prometheus.Registry) instanceMetrics {
	m := instanceMetrics{
		leasesHeld: prometheus.NewGauge(prometheus.GaugeOpts{Name: "oneonone_calendar_leases_held",
			Help: "Calendars whose lease this instance holds (it alone syncs them)."}),
		takeovers: prometheus.NewCounter(prometheus.CounterOpts{Name: "oneonone_calendar_lease_takeovers_total",
			Help: "Calendar leases taken over from an instance that stopped renewing them."}),
		outboxClaims: prometheus.NewCounter(prometheus.CounterOpts{Name: "oneonone_outbox_claims_total",
			Help: "Outbox messages this instance claimed for a delivery attempt."}),
		cycle: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "oneonone_sync_cycle_seconds",
			Help:    "How long one sync cycle over this instance's calendars took.",
			Buckets: []float64{0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600}}),
	}
	reg.MustRegister(m.leasesHeld, m.takeovers, m.outboxClaims, m.cycle)
	return m
}

func (m instanceMetrics) observeLeases(held, takenOver int) {
	m.leasesHeld.Set(float64(held))
	m.takeovers.Add(float64(takenOver))
}

func (m instanceMetrics) observeCycle(took time.Duration) { m.cycle.Observe(took.Seconds()) }
