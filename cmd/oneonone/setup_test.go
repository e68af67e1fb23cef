package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/sync"
)

// TestProcessCalendarDownAtStart: of two calendars, the second one's
// Radicale is down when the daemon starts. It is not left out: /readyz
// answers 503 naming it with the reason, /metrics has its health (0) and
// its failed syncs, `oneonone check` reports it; once its server is up,
// the daemon sets it up by itself (no reload) and syncs it.
func TestProcessCalendarDownAtStart(t *testing.T) {
	b := newProcBed(t)
	late := caldavtest.StartRadicale(t)
	col := late.MakeCalendar(t, "test", "late")
	late.Put(t, "test", col+"1on1.ics", []byte(weeklyAt(time.Now().Add(72*time.Hour).Truncate(time.Minute), "")))
	late.Stop()
	b.config(b.smtp.Addr, caldavCalendar("grace", col, "grace@example.com")+"[sync]\ninterval = \"30s\"\n")

	out, _, code := runCmd(t, time.Now(), nil, "check", "--config", b.file)
	if code != 1 || !strings.Contains(out, "calendar grace: ") || !strings.Contains(out, "calendar ada (") {
		t.Errorf("check with grace's server down: exit %d\n%s", code, out)
	}

	p := b.start()
	p.ready(30 * time.Second)
	var ready sync.Readiness
	poll(t, 20*time.Second, "grace unhealthy in /readyz", func() bool {
		body, status, err := quietGet(b.public + "/readyz")
		ready = sync.Readiness{}
		return err == nil && status == 503 && json.Unmarshal([]byte(body), &ready) == nil &&
			ready.Calendars["grace"] != "" && ready.Calendars["grace"] != "ok" && ready.Calendars["ada"] == "ok"
	})
	if !strings.Contains(ready.Calendars["grace"], "calendar grace") {
		t.Errorf("/readyz gives no reason for grace: %q", ready.Calendars["grace"])
	}
	m := b.metrics()
	if v, ok := metricValue(m, "oneonone_calendar_healthy", `calendar="grace"`); !ok || v != 0 {
		t.Errorf("oneonone_calendar_healthy{calendar=\"grace\"} = %v (present %v), want 0", v, ok)
	}
	if v, ok := metricValue(m, "oneonone_syncs_total", `calendar="grace"`, `result="error"`); !ok || v < 1 {
		t.Errorf("no failed sync of grace counted: %v %v", v, ok)
	}

	late.Restart(t)
	late.ResetRequests()
	// The first retry comes one interval (30 s) after the failure.
	poll(t, 75*time.Second, "grace synced once its server is up", func() bool {
		body, status, _ := quietGet(b.public + "/readyz")
		return status == 200 && strings.Contains(body, `"grace":"ok"`)
	})
	if v, _ := metricValue(b.metrics(), "oneonone_calendar_healthy", `calendar="grace"`); v != 1 {
		t.Errorf("oneonone_calendar_healthy{calendar=\"grace\"} = %v after recovery, want 1", v)
	}
	reports := 0
	for _, r := range late.Requests() {
		if r.Method == "REPORT" && r.Status == 207 {
			reports++
		}
	}
	if reports == 0 {
		t.Errorf("no calendar listing was read from grace's server after it came up: %v", late.Requests())
	}
	if !strings.Contains(p.logs.String(), "calendar set up") {
		t.Errorf("the log does not say grace was set up:\n%s", p.logs.String())
	}
	p.stop()
}
