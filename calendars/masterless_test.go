package calendars_test

import (
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars"
)

// TestMasterlessKeepsEveryComponent: a resource holding only
// RECURRENCE-ID components (invited to single occurrences), each here
// with an RRULE, keeps every component as its own occurrence, as RFC 5545
// and libical read it: none promoted to a series, none dropped.
func TestMasterlessKeepsEveryComponent(t *testing.T) {
	requireCorpus(t)
	c := load(t, "pimutils__khal/event_dt_multi_recuid_no_master.ics")
	if len(c.series) != 1 || !c.series[0].Partial {
		t.Fatalf("want one series seen through its occurrences only; got %d, problems %v", len(c.series), c.probs)
	}
	all := c.all()
	if err := first(
		same(instants(all), []string{"2014-06-30T07:30Z", "2014-07-07T08:30Z"}),
		same(keys(all), []string{"2014-07-07T05:30Z", "2014-07-14T05:30Z"}),
	); err != nil {
		t.Error(err)
	}
	rrules := 0
	for _, p := range c.probs {
		if strings.Contains(p.Message, "RECURRENCE-ID component with an RRULE") {
			rrules++
		}
	}
	if rrules != 2 {
		t.Errorf("want a problem for each component's ignored RRULE; got %v", c.probs)
	}
	d := calendars.Detect(c.series[0], calendars.DefaultRules())
	if !strings.Contains(d.Why, "no master event: 2 single occurrence(s), each kept as its own") {
		t.Errorf("why %q does not say the series is only single occurrences", d.Why)
	}
}

// TestMasterlessMixed: one occurrence with an RRULE and one without, in
// either order, are both kept where their DTSTART says.
func TestMasterlessMixed(t *testing.T) {
	a := ev + "RECURRENCE-ID:20240108T100000Z\nDTSTART:20240108T110000Z\nDTEND:20240108T113000Z\nRRULE:FREQ=WEEKLY;COUNT=10\nEND:VEVENT\n"
	b := ev + "RECURRENCE-ID:20240115T100000Z\nDTSTART:20240116T100000Z\nDTEND:20240116T103000Z\nEND:VEVENT\n"
	for name, body := range map[string]string{"rrule first": a + b, "rrule last": b + a} {
		t.Run(name, func(t *testing.T) {
			s, p := readAll(body)
			wantStarts("2024-01-01", "2024-04-01", "2024-01-08T11:00:00Z moved", "2024-01-16T10:00:00Z moved")(t, s, p)
		})
	}
}
