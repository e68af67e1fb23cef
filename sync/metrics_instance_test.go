package sync

import (
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// What the loop reports is what /metrics shows: syncs by result, the
// leases held now, takeovers summed, cycles observed.
func TestCountersShowTheLoop(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewCounters(reg)
	m.Synced(Summary{Calendar: "ada"})
	m.Synced(Summary{Calendar: "ada", Err: errors.New("down")})
	m.Synced(Summary{Calendar: "ada", Err: errors.New("down")})
	m.Leases(3, 1)
	m.Leases(2, 1)
	m.Cycle(2 * time.Second)
	got := gathered(t, reg)
	for key, want := range map[string]float64{
		`oneonone_syncs_total{result="error"}`:    2,
		`oneonone_syncs_total{result="ok"}`:       1,
		"oneonone_calendar_leases_held":           2,
		"oneonone_calendar_lease_takeovers_total": 2,
		"oneonone_sync_cycle_seconds_count":       1,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v (all: %v)", key, got[key], want, got)
		}
	}
}

// gathered flattens reg's metrics to name{result="…"} → value.
func gathered(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range fams {
		for _, m := range f.Metric {
			key := f.GetName()
			for _, l := range m.Label {
				if l.GetName() == "result" {
					key += `{result="` + l.GetValue() + `"}`
				}
			}
			out[key] = value(f.GetType(), m)
			if h := m.Histogram; h != nil {
				out[key+"_count"] = float64(h.GetSampleCount())
			}
		}
	}
	return out
}

func value(typ dto.MetricType, m *dto.Metric) float64 {
	switch typ {
	case dto.MetricType_COUNTER:
		return m.Counter.GetValue()
	case dto.MetricType_GAUGE:
		return m.Gauge.GetValue()
	}
	return 0
}
