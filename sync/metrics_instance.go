package sync

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Counters are what the sync loop of this instance counts in memory:
// syncs by calendar and result, the calendars whose lease it holds,
// those it took over from an instance gone silent, and how long a cycle
// over its calendars takes. What the store knows is Collector's.
type Counters struct {
	syncs      *prometheus.CounterVec
	leasesHeld prometheus.Gauge
	takeovers  prometheus.Counter
	cycle      prometheus.Histogram
}

// NewCounters makes the sync loop's counters and registers them on reg.
func NewCounters(reg prometheus.Registerer) *Counters {
	m := &Counters{
		syncs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "oneonone_syncs_total",
			Help: "Calendar syncs, by calendar and result (ok, error)."}, []string{"calendar", "result"}),
		leasesHeld: prometheus.NewGauge(prometheus.GaugeOpts{Name: "oneonone_calendar_leases_held",
			Help: "Calendars whose lease this instance holds (it alone syncs them)."}),
		takeovers: prometheus.NewCounter(prometheus.CounterOpts{Name: "oneonone_calendar_lease_takeovers_total",
			Help: "Calendar leases taken over from an instance that stopped renewing them."}),
		cycle: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "oneonone_sync_cycle_seconds",
			Help:    "How long one sync cycle over this instance's calendars took.",
			Buckets: []float64{0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600}}),
	}
	reg.MustRegister(m.syncs, m.leasesHeld, m.takeovers, m.cycle)
	return m
}

// Synced counts one sync or failed set-up (Scheduler.Observe).
func (m *Counters) Synced(s Summary) {
	result := "ok"
	if s.Err != nil {
		result = "error"
	}
	m.syncs.WithLabelValues(s.Calendar, result).Inc()
}

// Leases records a claim's outcome (Leases.Observe).
func (m *Counters) Leases(held, takenOver int) {
	m.leasesHeld.Set(float64(held))
	m.takeovers.Add(float64(takenOver))
}

// Cycle records how long a pass took (Scheduler.Cycle).
func (m *Counters) Cycle(took time.Duration) { m.cycle.Observe(took.Seconds()) }
