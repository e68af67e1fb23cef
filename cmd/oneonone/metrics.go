package main

import (
	"database/sql"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/oneonone/oneonone/mailer"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/sync"
)

// metrics are the daemon's Prometheus metrics. Counters of things the
// daemon does are kept in memory; what the database already knows
// (history, mails by state, calendar health) its owners read at scrape
// time (sync.Collector, mailer.Collector).
type metrics struct {
	reg         *prometheus.Registry
	syncs       *prometheus.CounterVec
	requests    *prometheus.CounterVec
	submissions prometheus.Counter
	agendas     *prometheus.CounterVec
	mailLimited *prometheus.CounterVec
	instanceMetrics
}

func newMetrics(d *sql.DB, outbox *mailstore.Outbox) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		syncs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "oneonone_syncs_total",
			Help: "Calendar syncs, by calendar and result (ok, error)."}, []string{"calendar", "result"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "oneonone_calendar_requests_total",
			Help: "HTTP requests to calendar servers, by provider and status (\"error\" when no answer came)."}, []string{"provider", "status"}),
		submissions: prometheus.NewCounter(prometheus.CounterOpts{Name: "oneonone_form_submissions_total",
			Help: "Prep form answers saved."}),
		agendas: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "oneonone_agenda_deliveries_total",
			Help: "Agendas written into calendars, emailed instead, or failed (conflicts retried), by result."}, []string{"result"}),
		mailLimited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "oneonone_mail_rate_limited_total",
			Help: "Mails held back by a rate limit, by limit (recipient_hour, recipient_day, global_hour)."}, []string{"limit"}),
	}
	m.reg.MustRegister(m.syncs, m.requests, m.submissions, m.agendas, m.mailLimited, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		sync.Collector{DB: d}, mailer.Collector{Outbox: outbox})
	m.instanceMetrics = newInstanceMetrics(m.reg)
	return m
}

// watchMail counts w's rate-limited mails and reports whether the SMTP
// server accepts our configuration.
func (m *metrics) watchMail(w *mailer.Worker) {
	w.Limited = func(limit string) { m.mailLimited.WithLabelValues(limit).Inc() }
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "oneonone_mail_healthy",
		Help: "0 while the SMTP server refuses our configuration (login, relaying), else 1."}, func() float64 {
		if w.Health() != "" {
			return 0
		}
		return 1
	}))
}

func (m *metrics) observe(s sync.Summary) {
	result := "ok"
	if s.Err != nil {
		result = "error"
	}
	m.syncs.WithLabelValues(s.Calendar, result).Inc()
}

// counting wraps a calendar client's transport to count requests by
// status: 412s there are agenda write conflicts, 401s revoked logins.
func (m *metrics) counting(provider string) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			status := "error"
			if err == nil {
				status = strconv.Itoa(resp.StatusCode)
			}
			m.requests.WithLabelValues(provider, status).Inc()
			return resp, err
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
