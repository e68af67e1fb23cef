package mailer

import "github.com/prometheus/client_golang/prometheus"

// Watch registers on reg what this instance's worker counts in memory:
// mails held back by a rate limit, outbox messages it claimed, and
// whether the SMTP server accepts our configuration. It sets w.Limited
// and w.Claimed.
func Watch(reg prometheus.Registerer, w *Worker) {
	limited := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "oneonone_mail_rate_limited_total",
		Help: "Mails held back by a rate limit, by limit (recipient_hour, recipient_day, global_hour)."}, []string{"limit"})
	claims := prometheus.NewCounter(prometheus.CounterOpts{Name: "oneonone_outbox_claims_total",
		Help: "Outbox messages this instance claimed for a delivery attempt."})
	healthy := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "oneonone_mail_healthy",
		Help: "0 while the SMTP server refuses our configuration (login, relaying), else 1."}, func() float64 {
		if w.Health() != "" {
			return 0
		}
		return 1
	})
	reg.MustRegister(limited, claims, healthy)
	w.Limited = func(limit string) { limited.WithLabelValues(limit).Inc() }
	w.Claimed = claims.Inc
}
