package mailer_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/oneonone/oneonone/mailer"
)

// A delivered mail counts one claim, and the SMTP server that accepted
// it leaves mail healthy.
func TestWatchCountsClaimsAndHealth(t *testing.T) {
	e := newEnv(t)
	reg := prometheus.NewRegistry()
	mailer.Watch(reg, e.worker)
	enqueue(t, e.outbox, message("prep:1:ada:invite"))
	if n := runOnce(t, e.worker); n != 1 {
		t.Fatalf("sent %d", n)
	}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		for _, m := range f.Metric {
			if m.Counter != nil {
				got[f.GetName()] += m.Counter.GetValue()
			}
			if m.Gauge != nil {
				got[f.GetName()] = m.Gauge.GetValue()
			}
		}
	}
	if got["oneonone_outbox_claims_total"] != 1 || got["oneonone_mail_healthy"] != 1 {
		t.Errorf("metrics after one delivery: %v; want one claim and mail healthy", got)
	}
	if e.worker.Limited == nil {
		t.Error("Watch left the rate-limit counter unhooked")
	}
}
