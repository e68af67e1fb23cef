package prep

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// Agendas add up by result across passes; saved answers are counted.
func TestCountersAddUpDeliveries(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewCounters(reg)
	m.Delivered(Delivered{Written: 2, Emailed: 1})
	m.Delivered(Delivered{Written: 1, Failed: 1})
	m.Saved()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		for _, mt := range f.Metric {
			key := f.GetName()
			for _, l := range mt.Label {
				key += "/" + l.GetValue()
			}
			got[key] = mt.Counter.GetValue()
		}
	}
	want := map[string]float64{"oneonone_agenda_deliveries_total/written": 3, "oneonone_agenda_deliveries_total/emailed": 1,
		"oneonone_agenda_deliveries_total/failed": 1, "oneonone_form_submissions_total": 1}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}
