package prep

import "github.com/prometheus/client_golang/prometheus"

// Counters are what prep counts in memory for /metrics: answers saved
// through the form and agendas delivered, by result.
type Counters struct {
	submissions prometheus.Counter
	agendas     *prometheus.CounterVec
}

// NewCounters makes prep's counters and registers them on reg.
func NewCounters(reg prometheus.Registerer) *Counters {
	m := &Counters{
		submissions: prometheus.NewCounter(prometheus.CounterOpts{Name: "oneonone_form_submissions_total",
			Help: "Prep form answers saved."}),
		agendas: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "oneonone_agenda_deliveries_total",
			Help: "Agendas written into calendars, emailed instead, or failed (conflicts retried), by result."}, []string{"result"}),
	}
	reg.MustRegister(m.submissions, m.agendas)
	return m
}

// Saved counts one answer saved (Service.Saved).
func (m *Counters) Saved() { m.submissions.Inc() }

// Delivered counts a loop pass's agendas (Loop.Delivered).
func (m *Counters) Delivered(got Delivered) {
	m.agendas.WithLabelValues("written").Add(float64(got.Written))
	m.agendas.WithLabelValues("emailed").Add(float64(got.Emailed))
	m.agendas.WithLabelValues("failed").Add(float64(got.Failed))
}
