package ics_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/ics"
)

const master = `BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:s1
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Berlin:20261103T100000
DURATION:PT30M
RRULE:FREQ=WEEKLY
EXDATE;TZID=Europe/Berlin:20261110T100000
RDATE;TZID=Europe/Berlin:20261105T100000
SUMMARY:Ada / Grace
DESCRIPTION;LANGUAGE=en:Bring the numbers\, please
SEQUENCE:2
X-CUSTOM;X-P=1:kept
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER:-PT10M
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:other
DTSTART:20261103T100000Z
END:VEVENT
END:VCALENDAR
`

func parse(t *testing.T, s string) []*ics.Component {
	t.Helper()
	roots, probs := ics.Parse([]byte(s))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return roots
}

func TestNewOverride(t *testing.T) {
	roots := parse(t, master)
	evs := ics.Events(roots, "s1")
	if len(evs) != 1 || evs[0].Parent != roots[0] {
		t.Fatalf("events: %+v", evs)
	}
	m := evs[0].Component
	before := canonical(roots)
	loc, _ := time.LoadLocation("Europe/Berlin")
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, loc)
	like := m.Prop("DTSTART")
	o := ics.NewOverride(m, ics.DateTimeLike("RECURRENCE-ID", start, like),
		ics.DateTimeLike("DTSTART", start.Add(time.Hour), like), ics.DateTimeLike("DTEND", start.Add(90*time.Minute), like))
	if canonical(roots) != before {
		t.Fatal("making an override changed the master")
	}
	var names []string
	for _, p := range o.Props {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "UID DTSTAMP DTSTART RECURRENCE-ID DTEND SUMMARY DESCRIPTION SEQUENCE X-CUSTOM" {
		t.Errorf("properties: %s", got)
	}
	checks := map[string]string{"RECURRENCE-ID": "20261201T100000", "DTSTART": "20261201T110000", "DTEND": "20261201T113000", "SEQUENCE": "2"}
	for name, want := range checks {
		if p := o.Prop(name); p == nil || p.Value != want {
			t.Errorf("%s = %+v, want %s", name, p, want)
		}
	}
	if o.Prop("DTSTART").Param("TZID") != "Europe/Berlin" || o.Prop("X-CUSTOM").Param("X-P") != "1" {
		t.Errorf("parameters not kept: %+v %+v", o.Prop("DTSTART"), o.Prop("X-CUSTOM"))
	}
	if len(o.Children) != 1 || o.Children[0].Name != "VALARM" || o.Children[0] == m.Children[0] {
		t.Errorf("alarm not copied: %+v", o.Children)
	}
	roots[0].InsertAfter(m, o)
	if roots[0].Children[1] != o || ics.Events(roots, "s1")[1].Component != o {
		t.Error("override not inserted right after its master")
	}
}

func TestDateTimeLike(t *testing.T) {
	loc, _ := time.LoadLocation("America/New_York")
	at := time.Date(2026, 3, 8, 9, 30, 0, 0, loc)
	cases := []struct {
		like *ics.Prop
		want string
	}{
		{&ics.Prop{Name: "DTSTART", Value: "20260101T090000Z"}, "X:20260308T133000Z"},
		{&ics.Prop{Name: "DTSTART", Value: "20260101", Params: map[string][]string{"VALUE": {"DATE"}}}, "X;VALUE=DATE:20260308"},
		{&ics.Prop{Name: "DTSTART", Value: "20260101"}, "X;VALUE=DATE:20260308"},
		{&ics.Prop{Name: "DTSTART", Value: "20260101T090000", Params: map[string][]string{"TZID": {"Eastern Standard Time"}, "X-Y": {"z"}}}, "X;TZID=Eastern Standard Time:20260308T093000"},
		{&ics.Prop{Name: "DTSTART", Value: "20260101T090000"}, "X:20260308T093000"},
	}
	for _, c := range cases {
		p := ics.DateTimeLike("X", at, c.like)
		got := strings.TrimSpace(string(encode(t, []*ics.Component{{Name: "V", Props: []*ics.Prop{p}}})))
		got = strings.Split(got, "\r\n")[1]
		if got != c.want {
			t.Errorf("like %+v: %s, want %s", c.like, got, c.want)
		}
	}
}

func TestSetTextKeepsPlaceAndParameters(t *testing.T) {
	roots := parse(t, master)
	m := roots[0].Children[0]
	m.SetText("DESCRIPTION", "a, b; c\nd")
	p := m.Prop("DESCRIPTION")
	if p.Value != `a\, b\; c\nd` || p.Param("LANGUAGE") != "en" || m.Props[8] != p {
		t.Errorf("description: %+v at %d", p, indexOf(m, p))
	}
	m.SetText("COMMENT", "new")
	if m.Props[len(m.Props)-1].Name != "COMMENT" {
		t.Error("a new text property is not appended")
	}
	m.Set(&ics.Prop{Name: "SEQUENCE", Value: "3"})
	m.Props = append(m.Props, &ics.Prop{Name: "SEQUENCE", Value: "9"})
	m.Set(&ics.Prop{Name: "SEQUENCE", Value: "4"})
	if all := m.All("SEQUENCE"); len(all) != 1 || all[0].Value != "4" {
		t.Errorf("Set left %d SEQUENCEs", len(all))
	}
	m.Remove("X-CUSTOM", "RRULE")
	if m.Prop("X-CUSTOM") != nil || m.Prop("RRULE") != nil {
		t.Error("Remove")
	}
}

func indexOf(c *ics.Component, p *ics.Prop) int {
	for i, q := range c.Props {
		if q == p {
			return i
		}
	}
	return -1
}

func TestEventsBare(t *testing.T) {
	roots := parse(t, "BEGIN:VEVENT\nUID: s1 \nDTSTART:20260101T000000Z\nEND:VEVENT\n")
	evs := ics.Events(roots, "s1")
	if len(evs) != 1 || evs[0].Parent != nil || evs[0].Component != roots[0] {
		t.Errorf("%+v", evs)
	}
}
