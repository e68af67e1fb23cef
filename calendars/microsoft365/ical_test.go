package microsoft365

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

const (
	ada   = "ada@contoso.com"
	grace = "grace@contoso.com"
)

// graphMaster is a weekly series as Graph returns it to Grace, an
// attendee, with Prefer outlook.timezone="UTC": times in UTC, the zone
// scheduled in as a Windows name, a room and an optional attendee who
// declined, Grace's own answer in responseStatus.
const graphMaster = `{"@odata.etag":"W/\"m1-1\"","id":"AAMk-m1","type":"seriesMaster","iCalUId":"040000008200E00074C5B7101A82E008-m1",
 "subject":"Ada / Grace","body":{"contentType":"html","content":"<html><body><p>Our 1:1</p></body></html>"},
 "start":{"dateTime":"2026-11-03T09:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-03T09:30:00.0000000","timeZone":"UTC"},
 "originalStartTimeZone":"W. Europe Standard Time","isAllDay":false,"isCancelled":false,"isOrganizer":false,
 "lastModifiedDateTime":"2026-11-01T10:00:00Z","responseStatus":{"response":"accepted","time":"2026-11-01T10:00:00Z"},
 "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["tuesday"],"firstDayOfWeek":"monday","index":"first"},
  "range":{"type":"endDate","startDate":"2026-11-03","endDate":"2027-02-28","recurrenceTimeZone":"W. Europe Standard Time"}},
 "organizer":{"emailAddress":{"name":"Ada","address":"ada@contoso.com"}},
 "attendees":[{"type":"required","status":{"response":"none"},"emailAddress":{"name":"Grace \"Amazing\" H.","address":"grace@contoso.com"}},
  {"type":"resource","status":{"response":"accepted"},"emailAddress":{"name":"Room 1","address":"room1@contoso.com"}},
  {"type":"optional","status":{"response":"declined"},"emailAddress":{"name":"","address":"linus@contoso.com"}}]}`

// graphException is the occurrence of 24 November moved to the next day
// at 15:00 Berlin, which Grace declined.
const graphException = `{"@odata.etag":"W/\"x1-1\"","id":"AAMk-x1","type":"exception","seriesMasterId":"AAMk-m1",
 "iCalUId":"040000008200E00074C5B7101A82E008-x1","subject":"Ada / Grace","originalStart":"2026-11-24T09:00:00Z",
 "start":{"dateTime":"2026-11-25T14:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-25T14:30:00.0000000","timeZone":"UTC"},
 "responseStatus":{"response":"declined"},"organizer":{"emailAddress":{"name":"Ada","address":"ada@contoso.com"}},
 "attendees":[{"type":"required","status":{"response":"none"},"emailAddress":{"address":"grace@contoso.com"}}]}`

// equivalentICS is the same meeting as a CalDAV server would hold it.
const equivalentICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:040000008200E00074C5B7101A82E008-m1\r\nDTSTART;TZID=Europe/Berlin:20261103T100000\r\nDTEND;TZID=Europe/Berlin:20261103T103000\r\n" +
	"RRULE:FREQ=WEEKLY;BYDAY=TU;WKST=MO;UNTIL=20270228T225959Z\r\nSUMMARY:Ada / Grace\r\n" +
	"ORGANIZER;CN=Ada:mailto:ada@contoso.com\r\n" +
	"ATTENDEE;CN=\"Grace 'Amazing' H.\";PARTSTAT=ACCEPTED:mailto:grace@contoso.com\r\n" +
	"ATTENDEE;CN=Room 1;CUTYPE=RESOURCE;PARTSTAT=ACCEPTED:mailto:room1@contoso.com\r\n" +
	"ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=DECLINED:mailto:linus@contoso.com\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:040000008200E00074C5B7101A82E008-m1\r\nRECURRENCE-ID;TZID=Europe/Berlin:20261124T100000\r\n" +
	"DTSTART;TZID=Europe/Berlin:20261125T150000\r\nDTEND;TZID=Europe/Berlin:20261125T153000\r\nSUMMARY:Ada / Grace\r\n" +
	"ORGANIZER;CN=Ada:mailto:ada@contoso.com\r\n" +
	"ATTENDEE;PARTSTAT=DECLINED:mailto:grace@contoso.com\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:040000008200E00074C5B7101A82E008-m1\r\nRECURRENCE-ID;TZID=Europe/Berlin:20261201T100000\r\n" +
	"DTSTART;TZID=Europe/Berlin:20261201T100000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

func decode(t *testing.T, s string) *event {
	t.Helper()
	var ev event
	if err := json.Unmarshal([]byte(s), &ev); err != nil {
		t.Fatal(err)
	}
	return &ev
}

// expansion reads files as one calendar and describes every occurrence
// of its one series in [from, to).
func expansion(t *testing.T, files []calendars.File, from, to time.Time) []string {
	t.Helper()
	series, probs := calendars.ReadICS(files, calendars.ReadOptions{})
	if len(probs) > 0 || len(series) != 1 {
		t.Fatalf("%d series, problems %v", len(series), probs)
	}
	s := series[0]
	d := calendars.Detect(s, calendars.DefaultRules())
	out := []string{fmt.Sprintf("series %s tz=%s 1:1=%v (%s)", s.UID, s.TimeZone, d.OneOnOne, d.Why)}
	for _, o := range s.Expand(from, to) {
		l := fmt.Sprintf("%s %s–%s %s moved=%v %q org=%s", o.Key.Format(time.RFC3339), o.Start.Format(time.RFC3339),
			o.End.Format(time.RFC3339), o.Status, o.Moved, o.Summary, o.Organizer.Email)
		for _, a := range o.Attendees {
			l += fmt.Sprintf(" [%s %s %s %s]", a.Email, a.PartStat, a.Kind, a.Role)
		}
		out = append(out, l)
	}
	return out
}

// TestGraphSeriesExpandsLikeItsICalendar: a master (Windows zone, weekly
// pattern, end date), a moved and declined exception and a deleted
// occurrence give the occurrences, keys, answers, room and 1:1 decision
// the same meeting gives as iCalendar.
func TestGraphSeriesExpandsLikeItsICalendar(t *testing.T) {
	master, ex := decode(t, graphMaster), decode(t, graphException)
	m, err := renderMaster(master, grace)
	if err != nil {
		t.Fatal(err)
	}
	x, err := renderException(ex, master, grace)
	if err != nil {
		t.Fatal(err)
	}
	c := renderCancelled(master, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	files := []calendars.File{{Name: "m1", Data: m}, {Name: "x1", Data: x}, {Name: "c1", Data: c}}
	from, to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	got := expansion(t, files, from, to)
	want := expansion(t, []calendars.File{{Name: "caldav.ics", Data: []byte(equivalentICS)}}, from, to)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Graph:\n%s\niCalendar:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) != 1+17 || !strings.Contains(got[0], "1:1=true") {
		t.Errorf("want a 1:1 of 17 Tuesdays from 3 Nov to 23 Feb; got\n%s", strings.Join(got, "\n"))
	}
}

func TestRecurrencePatternsBecomeRules(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	cases := []struct {
		name, json string
		allDay     bool
		want       string
	}{
		{"every other week, numbered", `{"pattern":{"type":"weekly","interval":2,"daysOfWeek":["monday","thursday"],"firstDayOfWeek":"sunday"},"range":{"type":"numbered","numberOfOccurrences":10}}`,
			false, "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;WKST=SU;INTERVAL=2;COUNT=10"},
		{"last Friday monthly, no end", `{"pattern":{"type":"relativeMonthly","interval":1,"daysOfWeek":["friday"],"index":"last"},"range":{"type":"noEnd"}}`,
			false, "RRULE:FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1"},
		{"15th monthly, end date in Berlin", `{"pattern":{"type":"absoluteMonthly","interval":1,"dayOfMonth":15},"range":{"type":"endDate","endDate":"2027-06-30"}}`,
			false, "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270630T215959Z"},
		{"yearly all-day", `{"pattern":{"type":"absoluteYearly","interval":1,"month":3,"dayOfMonth":8},"range":{"type":"endDate","endDate":"2030-03-08"}}`,
			true, "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8;UNTIL=20300308"},
		{"second Tuesday of May", `{"pattern":{"type":"relativeYearly","interval":1,"month":5,"daysOfWeek":["tuesday"],"index":"second"},"range":{"type":"noEnd"}}`,
			false, "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=TU;BYSETPOS=2"},
	}
	for _, c := range cases {
		var r recurrence
		if err := json.Unmarshal([]byte(c.json), &r); err != nil {
			t.Fatal(err)
		}
		got, err := rrule(&r, c.allDay, berlin)
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	for _, bad := range []string{`{"pattern":{"type":"weekly"},"range":{"type":"noEnd"}}`,
		`{"pattern":{"type":"hourly"},"range":{"type":"noEnd"}}`,
		`{"pattern":{"type":"daily"},"range":{"type":"numbered","numberOfOccurrences":0}}`} {
		var r recurrence
		json.Unmarshal([]byte(bad), &r)
		if got, err := rrule(&r, false, nil); err == nil {
			t.Errorf("%s: want an error, got %q", bad, got)
		}
	}
}
