package google

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/oneonone/oneonone/calendars"
)

func edt(dateTime, tz string) *calendar.EventDateTime {
	return &calendar.EventDateTime{DateTime: dateTime, TimeZone: tz}
}

// googleSeries is a weekly meeting as Google returns it: the master (with
// an EXDATE, a room and an optional attendee who declined), an exception
// moved by a day, and a cancelled instance in its sparse form.
func googleSeries() []*calendar.Event {
	const tz = "Europe/Berlin"
	people := func(graceSays string) []*calendar.EventAttendee {
		return []*calendar.EventAttendee{
			{Email: ada, ResponseStatus: "accepted", Organizer: true},
			{Email: grace, ResponseStatus: graceSays, DisplayName: `Grace "Amazing" H.`},
			{Email: "room-1@resource.calendar.google.com", ResponseStatus: "accepted", Resource: true},
			{Email: "linus@example.com", ResponseStatus: "declined", Optional: true},
		}
	}
	master := &calendar.Event{Id: "m1", ICalUID: "m1@google.com", Status: "confirmed", Summary: "Ada / Grace", Sequence: 2,
		Updated: "2026-11-01T10:00:00.000Z", Start: edt("2026-11-03T10:00:00+01:00", tz), End: edt("2026-11-03T10:30:00+01:00", tz),
		Recurrence: []string{"RRULE:FREQ=WEEKLY;UNTIL=20270301T000000Z", "EXDATE;TZID=Europe/Berlin:20261117T100000"},
		Organizer:  &calendar.EventOrganizer{Email: ada, DisplayName: "Ada"}, Attendees: people("needsAction")}
	moved := &calendar.Event{Id: "m1_20261124T090000Z", ICalUID: "m1@google.com", Status: "confirmed", Summary: "Ada / Grace",
		Sequence: 3, RecurringEventId: "m1", OriginalStartTime: edt("2026-11-24T10:00:00+01:00", tz),
		Start: edt("2026-11-25T15:00:00+01:00", tz), End: edt("2026-11-25T15:30:00+01:00", tz),
		Organizer: &calendar.EventOrganizer{Email: ada, DisplayName: "Ada"}, Attendees: people("declined")}
	cancelled := &calendar.Event{Id: "m1_20261201T090000Z", Status: "cancelled", RecurringEventId: "m1",
		OriginalStartTime: edt("2026-12-01T10:00:00+01:00", tz)}
	return []*calendar.Event{master, moved, cancelled}
}

// equivalentICS is the same meeting as a CalDAV server would hold it.
const equivalentICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:m1@google.com\r\nDTSTART;TZID=Europe/Berlin:20261103T100000\r\nDTEND;TZID=Europe/Berlin:20261103T103000\r\n" +
	"RRULE:FREQ=WEEKLY;UNTIL=20270301T000000Z\r\nEXDATE;TZID=Europe/Berlin:20261117T100000\r\nSUMMARY:Ada / Grace\r\nSEQUENCE:2\r\n" +
	"ORGANIZER;CN=Ada:mailto:ada@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com\r\n" +
	"ATTENDEE;CN=\"Grace 'Amazing' H.\";PARTSTAT=NEEDS-ACTION:mailto:grace@example.com\r\n" +
	"ATTENDEE;CUTYPE=RESOURCE;PARTSTAT=ACCEPTED:mailto:room-1@resource.calendar.google.com\r\n" +
	"ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=DECLINED:mailto:linus@example.com\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:m1@google.com\r\nRECURRENCE-ID;TZID=Europe/Berlin:20261124T100000\r\n" +
	"DTSTART;TZID=Europe/Berlin:20261125T150000\r\nDTEND;TZID=Europe/Berlin:20261125T153000\r\nSUMMARY:Ada / Grace\r\nSEQUENCE:3\r\n" +
	"ORGANIZER;CN=Ada:mailto:ada@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com\r\n" +
	"ATTENDEE;CN=\"Grace 'Amazing' H.\";PARTSTAT=DECLINED:mailto:grace@example.com\r\n" +
	"ATTENDEE;CUTYPE=RESOURCE;PARTSTAT=ACCEPTED:mailto:room-1@resource.calendar.google.com\r\n" +
	"ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=DECLINED:mailto:linus@example.com\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:m1@google.com\r\nRECURRENCE-ID;TZID=Europe/Berlin:20261201T100000\r\n" +
	"DTSTART;TZID=Europe/Berlin:20261201T100000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

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
	out := []string{fmt.Sprintf("series %s tz=%s allday=%v 1:1=%v (%s) people=%v", s.UID, s.TimeZone, s.AllDay, d.OneOnOne, d.Why, d.People)}
	for _, o := range s.Expand(from, to) {
		line := fmt.Sprintf("%s %s–%s %s moved=%v %q org=%s", o.Key.Format(time.RFC3339), o.Start.Format(time.RFC3339),
			o.End.Format(time.RFC3339), o.Status, o.Moved, o.Summary, o.Organizer.Email)
		for _, a := range o.Attendees {
			line += fmt.Sprintf(" [%s %s %s %s %q]", a.Email, a.PartStat, a.Kind, a.Role, a.Name)
		}
		out = append(out, line)
	}
	return out
}

func TestGoogleEventsExpandLikeTheirICalendar(t *testing.T) {
	var files []calendars.File
	for _, ev := range googleSeries() {
		data, err := renderEvent(ev, "m1@google.com")
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, calendars.File{Name: ev.Id, Data: data})
	}
	from, to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	got := expansion(t, files, from, to)
	want := expansion(t, []calendars.File{{Name: "caldav.ics", Data: []byte(equivalentICS)}}, from, to)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Google:\n%s\niCalendar:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) != 1+16 { // 17 Tuesdays from 3 Nov to 23 Feb, less the EXDATE
		t.Errorf("%d occurrences", len(got)-1)
	}
}

func TestAllDayEventsExpandLikeTheirICalendar(t *testing.T) {
	master := &calendar.Event{Id: "d1", ICalUID: "d1@google.com", Status: "confirmed", Summary: "Offsite",
		Start: &calendar.EventDateTime{Date: "2026-11-03"}, End: &calendar.EventDateTime{Date: "2026-11-04"},
		Recurrence: []string{"RRULE:FREQ=WEEKLY;COUNT=4"}, Organizer: &calendar.EventOrganizer{Email: ada}}
	moved := &calendar.Event{Id: "d1_20261110", ICalUID: "d1@google.com", Status: "confirmed", Summary: "Offsite",
		RecurringEventId: "d1", OriginalStartTime: &calendar.EventDateTime{Date: "2026-11-10"},
		Start: &calendar.EventDateTime{Date: "2026-11-12"}, End: &calendar.EventDateTime{Date: "2026-11-13"},
		Organizer: &calendar.EventOrganizer{Email: ada}}
	cancelled := &calendar.Event{Id: "d1_20261117", Status: "cancelled", RecurringEventId: "d1",
		OriginalStartTime: &calendar.EventDateTime{Date: "2026-11-17"}}
	var files []calendars.File
	for _, ev := range []*calendar.Event{master, moved, cancelled} {
		data, err := renderEvent(ev, "d1@google.com")
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, calendars.File{Name: ev.Id, Data: data})
	}
	ics := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d1@google.com\r\nDTSTART;VALUE=DATE:20261103\r\nDTEND;VALUE=DATE:20261104\r\n" +
		"RRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Offsite\r\nORGANIZER:mailto:ada@example.com\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:d1@google.com\r\nRECURRENCE-ID;VALUE=DATE:20261110\r\nDTSTART;VALUE=DATE:20261112\r\n" +
		"DTEND;VALUE=DATE:20261113\r\nSUMMARY:Offsite\r\nORGANIZER:mailto:ada@example.com\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:d1@google.com\r\nRECURRENCE-ID;VALUE=DATE:20261117\r\nDTSTART;VALUE=DATE:20261117\r\n" +
		"STATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	from, to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	got := expansion(t, files, from, to)
	want := expansion(t, []calendars.File{{Name: "caldav.ics", Data: []byte(ics)}}, from, to)
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) != 5 {
		t.Errorf("Google:\n%s\niCalendar:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRenderEscapesAndGuards(t *testing.T) {
	ev := &calendar.Event{Id: "x", ICalUID: "x@google.com", Status: "tentative",
		Summary:     `1:1; Ada, Grace \ co`,
		Description: "line one\nline two, <b>bold</b>\r\nthree\x00",
		Start:       edt("2026-11-03T09:00:00Z", ""), End: edt("2026-11-03T09:30:00+00:00", ""),
		Recurrence: []string{"RRULE:FREQ=DAILY;COUNT=2", "RRULE:FREQ=DAILY\r\nATTENDEE:mailto:evil@example.com", "X-BOGUS:1"},
		Organizer:  &calendar.EventOrganizer{Email: ada, DisplayName: "Ada\r\nATTENDEE:mailto:evil@example.com"}}
	data, err := renderEvent(ev, ev.ICalUID)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{
		"SUMMARY:1:1\\; Ada\\, Grace \\\\ co\r\n",
		"DESCRIPTION:line one\\nline two\\, <b>bold</b>\\nthree\r\n",
		"DTSTART:20261103T090000Z\r\n", "DTEND:20261103T093000Z\r\n",
		"STATUS:TENTATIVE\r\n", "RRULE:FREQ=DAILY;COUNT=2\r\n",
		"ORGANIZER;CN=\"Ada ATTENDEE:mailto:evil@example.com\":mailto:ada@example.com\r\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in\n%s", want, s)
		}
	}
	if strings.Contains(s, "\nATTENDEE") || strings.Contains(s, "X-BOGUS") || strings.Count(s, "RRULE") != 1 {
		t.Errorf("injected lines made it through:\n%s", s)
	}
	if _, err := renderEvent(&calendar.Event{Id: "y", Start: edt("nonsense", "")}, "y"); err == nil {
		t.Error("an unreadable start was rendered")
	}
}

// Google's attendee addresses go through the same address rule as
// CalDAV's: a malformed one makes the series not a 1:1.
func TestMalformedGoogleAttendeeIsNotAOneOnOne(t *testing.T) {
	for _, bad := range []string{"grace@example.com,victim@evil.example", "grace@example.com\r\nBcc: victim@evil.example",
		"grace@example.com%0D%0ABcc:victim@evil.example", "a@b.example?bcc=victim@evil.example"} {
		ev := &calendar.Event{Id: "x", ICalUID: "x@google.com", Status: "confirmed", Summary: "1:1",
			Start: edt("2026-11-03T09:00:00Z", ""), End: edt("2026-11-03T09:30:00Z", ""),
			Recurrence: []string{"RRULE:FREQ=WEEKLY"}, Organizer: &calendar.EventOrganizer{Email: ada},
			Attendees: []*calendar.EventAttendee{{Email: ada, Organizer: true}, {Email: bad}}}
		data, err := renderEvent(ev, ev.ICalUID)
		if err != nil {
			t.Fatal(err)
		}
		series, probs := calendars.ReadICS([]calendars.File{{Name: "g", Data: data}}, calendars.ReadOptions{})
		if len(series) != 1 {
			t.Fatalf("%q: %d series, problems %v", bad, len(series), probs)
		}
		if d := calendars.Detect(series[0], calendars.DefaultRules()); d.OneOnOne || !strings.Contains(d.Why, "is malformed") {
			t.Errorf("%q: got (%v, %q), want not a 1:1 because the address is malformed", bad, d.OneOnOne, d.Why)
		}
	}
}
