package microsoft365

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/microsoft365/graphtest"
)

// BenchmarkRenderSeries: a master and an exception as Graph returns them
// (JSON) to iCalendar.
func BenchmarkRenderSeries(b *testing.B) {
	var master, ex event
	json.Unmarshal([]byte(graphMaster), &master)
	json.Unmarshal([]byte(graphException), &ex)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := renderMaster(&master, grace); err != nil {
			b.Fatal(err)
		}
		if _, err := renderException(&ex, &master, grace); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstRead200Series: the first read of a mailbox with 200
// weekly series through the fake Graph: delta pages plus one master read
// per series.
func BenchmarkFirstRead200Series(b *testing.B) {
	srv := graphtest.New()
	defer srv.Close()
	srv.Now = func() time.Time { return fakeNow }
	srv.AddTenant(tenantDomain)
	srv.AddApp(tenantDomain, appID, appSecret, graphtest.CalendarsReadWrite)
	srv.AddMailbox(tenantDomain, grace, "Grace")
	for i := range 200 {
		srv.CreateMeeting(graphtest.Meeting{Organizer: fmt.Sprintf("p%d@contoso.com", i), Attendees: []string{grace},
			Subject: "1:1 " + strings.Repeat("x", i%20), Start: fakeNow.Add(time.Duration(i) * time.Hour), Duration: 30 * time.Minute,
			Recurrence: &graphtest.Recurrence{Pattern: "weekly"}})
	}
	c, err := New(Config{User: grace, Tenant: tenantDomain, ClientID: appID, ClientSecret: appSecret,
		Endpoint: srv.GraphEndpoint(), LoginEndpoint: srv.LoginEndpoint()}, Options{Budget: NewBudget(1e9, 1e9, nil, nil)})
	if err != nil {
		b.Fatal(err)
	}
	from, to := fakeNow.Add(-30*24*time.Hour), fakeNow.Add(60*24*time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		ch, _, err := c.Changes(context.Background(), grace, Cursor{}, from, to)
		if err != nil || len(ch.Updated) != 200 {
			b.Fatalf("%d objects, %v", len(ch.Updated), err)
		}
		b.ReportMetric(float64(ch.Requests), "requests/op")
	}
}
