package main

import (
	"database/sql"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/oneonone/oneonone/mailer"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

// metrics are the daemon's Prometheus metrics. Each owner defines its
// own: what its store knows, read at scrape time (sync.Collector,
// mailer.Collector), and what it counts in memory (sync.Counters,
// prep.Counters, mailer.Watch). Requests to calendar servers are counted
// here, on the transport every provider's clients share.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	sync     *sync.Counters
	prep     *prep.Counters
}

func newMetrics(d *sql.DB, outbox *mailstore.Outbox, worker *mailer.Worker) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "oneonone_calendar_requests_total",
			Help: "HTTP requests to calendar servers, by provider and status (\"error\" when no answer came)."}, []string{"provider", "status"}),
	}
	m.reg.MustRegister(m.requests, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		sync.Collector{DB: d}, mailer.Collector{Outbox: outbox})
	m.sync, m.prep = sync.NewCounters(m.reg), prep.NewCounters(m.reg)
	mailer.Watch(m.reg, worker)
	return m
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
