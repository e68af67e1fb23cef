package caldav

import "testing"

func TestServerSchedules(t *testing.T) {
	event := func(attendees string) []byte {
		return []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\nORGANIZER;CN=\"Ada: the boss\":MAILTO:Ada@example.com\r\n" +
			"ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com\r\n" + attendees + "END:VEVENT\r\nEND:VCALENDAR\r\n")
	}
	cases := []struct {
		name string
		obj  Object
		want bool
	}{
		{"no Schedule-Tag: the server does not schedule", Object{Data: event("ATTENDEE:mailto:bob@other.test\r\n")}, false},
		{"an attendee the server schedules", Object{ScheduleTag: `"1"`, Data: event("ATTENDEE:mailto:bob@other.test\r\n")}, true},
		{"SCHEDULE-AGENT=SERVER, folded", Object{ScheduleTag: `"1"`, Data: event("ATTENDEE;SCHEDULE-AGENT=SERVER;CN=Bob:mai\r\n lto:bob@other.test\r\n")}, true},
		{"the client schedules", Object{ScheduleTag: `"1"`, Data: event("ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:bob@other.test\r\n")}, false},
		{"only the organizer attends", Object{ScheduleTag: `"1"`, Data: event("")}, false},
	}
	for _, c := range cases {
		if got := ServerSchedules(c.obj); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
