package calendars_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

func wrap(body string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + strings.ReplaceAll(strings.TrimSpace(body), "\n", "\r\n") + "\r\nEND:VCALENDAR\r\n"
}

func readAll(body string) ([]*calendars.Series, []calendars.Problem) {
	return calendars.ReadICS([]calendars.File{{Name: "t.ics", Data: []byte(wrap(body))}}, calendars.ReadOptions{})
}

type occCheck func(t *testing.T, s []*calendars.Series, p []calendars.Problem)

func starts(t *testing.T, s *calendars.Series, from, to string) []string {
	t.Helper()
	var out []string
	for _, o := range s.Expand(utc(from), utc(to)) {
		x := o.Start.Format(time.RFC3339)
		if o.AllDay {
			x = o.Start.Format("2006-01-02")
		}
		if o.Status == calendars.StatusCancelled {
			x += " cancelled"
		}
		if o.Moved {
			x += " moved"
		}
		out = append(out, x)
	}
	return out
}

func wantStarts(from, to string, want ...string) occCheck {
	return func(t *testing.T, s []*calendars.Series, p []calendars.Problem) {
		t.Helper()
		if len(s) == 0 {
			t.Fatalf("no series; problems %v", p)
		}
		if err := same(starts(t, s[0], from, to), want); err != nil {
			t.Error(err)
		}
	}
}

func wantProblem(line int, fragment string) occCheck {
	return func(t *testing.T, s []*calendars.Series, p []calendars.Problem) {
		t.Helper()
		for _, x := range p {
			if (line == 0 || x.Line == line) && strings.Contains(x.Message, fragment) {
				return
			}
		}
		t.Errorf("no problem at line %d containing %q; got %v", line, fragment, p)
	}
}

const ev = "BEGIN:VEVENT\nUID:u1\nDTSTAMP:20240101T000000Z\n"

func TestHardCases(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		checks []occCheck
	}{
		{"count and until together: both apply, reported", ev + "DTSTART:20240101T100000Z\nRRULE:FREQ=DAILY;COUNT=5;UNTIL=20240103T100000Z\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-02-01", "2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z", "2024-01-03T10:00:00Z"), wantProblem(8, "COUNT and UNTIL")}},
		{"until as a date against date-time start includes that day", ev + "DTSTART;TZID=Europe/Berlin:20240101T180000\nRRULE:FREQ=DAILY;UNTIL=20240103\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-02-01", "2024-01-01T18:00:00+01:00", "2024-01-02T18:00:00+01:00", "2024-01-03T18:00:00+01:00")}},
		{"floating until with zoned start is wall clock", ev + "DTSTART;TZID=America/New_York:20240101T090000\nRRULE:FREQ=DAILY;UNTIL=20240102T090000\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-02-01", "2024-01-01T09:00:00-05:00", "2024-01-02T09:00:00-05:00")}},
		{"rdate period and multi-value rdate", ev + "DTSTART;TZID=Europe/Berlin:20240101T100000\nDURATION:PT1H\nRDATE;VALUE=PERIOD;TZID=Europe/Berlin:20240105T150000/20240105T170000\nRDATE;TZID=Europe/Berlin:20240110T100000,20240111T100000\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-02-01", "2024-01-01T10:00:00+01:00", "2024-01-05T15:00:00+01:00", "2024-01-10T10:00:00+01:00", "2024-01-11T10:00:00+01:00")}},
		{"multi-value UTC exdate against a zoned series", ev + "DTSTART;TZID=Europe/Berlin:20240301T100000\nRRULE:FREQ=WEEKLY;COUNT=6\nEXDATE:20240308T090000Z,20240405T080000Z\nEND:VEVENT",
			[]occCheck{wantStarts("2024-03-01", "2024-05-01", "2024-03-01T10:00:00+01:00", "2024-03-15T10:00:00+01:00", "2024-03-22T10:00:00+01:00", "2024-03-29T10:00:00+01:00")}},
		{"override moves and retitles, cancelled override listed", ev + "DTSTART;TZID=Europe/Berlin:20240101T100000\nDTEND;TZID=Europe/Berlin:20240101T103000\nRRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:1:1\nEND:VEVENT\n" +
			ev + "RECURRENCE-ID;TZID=Europe/Berlin:20240108T100000\nDTSTART;TZID=Europe/Berlin:20240109T140000\nDTEND;TZID=Europe/Berlin:20240109T143000\nSUMMARY:1:1 (moved)\nEND:VEVENT\n" +
			ev + "RECURRENCE-ID:20240115T090000Z\nDTSTART;TZID=Europe/Berlin:20240115T100000\nSTATUS:CANCELLED\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-02-01", "2024-01-01T10:00:00+01:00", "2024-01-09T14:00:00+01:00 moved", "2024-01-15T10:00:00+01:00 cancelled")}},
		{"this and future shifts every later occurrence", ev + "DTSTART:20240101T100000Z\nRRULE:FREQ=DAILY;COUNT=4\nEND:VEVENT\n" +
			ev + "RECURRENCE-ID;RANGE=THISANDFUTURE:20240103T100000Z\nDTSTART:20240103T120000Z\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-02-01", "2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z", "2024-01-03T12:00:00Z moved", "2024-01-04T12:00:00Z moved")}},
		{"override without master is a partial series", ev + "RECURRENCE-ID:20240108T100000Z\nDTSTART:20240108T110000Z\nDTEND:20240108T113000Z\nSUMMARY:just one\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-02-01", "2024-01-08T11:00:00Z moved")}},
		{"higher sequence master wins regardless of order", ev + "SEQUENCE:2\nDTSTART:20240101T100000Z\nRRULE:FREQ=DAILY;COUNT=2\nEND:VEVENT\n" + ev + "SEQUENCE:1\nDTSTART:20240101T100000Z\nRRULE:FREQ=DAILY;COUNT=5\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-02-01", "2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z")}},
		{"all-day weekly", ev + "DTSTART;VALUE=DATE:20240101\nDTEND;VALUE=DATE:20240102\nRRULE:FREQ=WEEKLY;COUNT=2\nEND:VEVENT",
			[]occCheck{wantStarts("2023-12-01", "2024-02-01", "2024-01-01", "2024-01-08")}},
		{"floating times read in UTC by default", ev + "DTSTART:20240101T100000\nRRULE:FREQ=DAILY;COUNT=1\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-02-01", "2024-01-01T10:00:00Z")}},
		{"outlook zone names", ev + "DTSTART;TZID=W. Europe Standard Time:20240701T100000\nRRULE:FREQ=DAILY;COUNT=1\nEND:VEVENT\n" +
			"BEGIN:VEVENT\nUID:u2\nDTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20240701T100000\nEND:VEVENT",
			[]occCheck{wantStarts("2024-01-01", "2024-12-01", "2024-07-01T10:00:00+02:00")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, p := readAll(c.body)
			for _, check := range c.checks {
				check(t, s, p)
			}
		})
	}
}

func TestMalformedInputIsReportedWithLines(t *testing.T) {
	cases := []struct {
		name, body string
		line       int
		fragment   string
	}{
		{"broken folding", ev + "DTSTART:20240101T100000Z\nDESCRIPTION:a long line\nthat lost its leading space\nEND:VEVENT", 6, "not a content line"},
		{"latin-1 bytes", ev + "DTSTART:20240101T100000Z\nSUMMARY:caf\xe9\nEND:VEVENT", 5, "not UTF-8"},
		{"unbalanced begin/end", ev + "DTSTART:20240101T100000Z\nBEGIN:VALARM\nACTION:DISPLAY\nEND:VEVENT", 7, "no END"},
		{"end without begin", ev + "DTSTART:20240101T100000Z\nEND:VEVENT\nEND:VTODO", 6, "without a matching BEGIN"},
		{"dtend before dtstart", ev + "DTSTART:20240101T100000Z\nDTEND:20240101T090000Z\nEND:VEVENT", 5, "DTEND is before DTSTART"},
		{"bad date", ev + "DTSTART:2024-01-01\nEND:VEVENT", 4, "is not a date"},
		{"rrule garbage", ev + "DTSTART:20240101T100000Z\nRRULE:FREQ=SOMETIMES\nEND:VEVENT", 5, "RRULE"},
		{"quoted parameter junk", ev + "DTSTART:20240101T100000Z\nATTENDEE;CN=\"Ada\"x;PARTSTAT=ACCEPTED:mailto:ada@example.com\nEND:VEVENT", 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, p := readAll(c.body + "\nBEGIN:VEVENT\nUID:other\nDTSTART:20240102T100000Z\nEND:VEVENT")
			if c.fragment != "" {
				wantProblem(c.line+3, c.fragment)(t, s, p)
			}
			found := false
			for _, x := range s {
				found = found || x.UID == "other"
			}
			if !found {
				t.Errorf("the other event in the file was lost; series %d, problems %v", len(s), p)
			}
		})
	}
}

func TestBadEscapesAreKept(t *testing.T) {
	s, _ := readAll(ev + "DTSTART:20240101T100000Z\nSUMMARY:a\\, b\\; c\\nd \\x e\\\\\nEND:VEVENT")
	if want := "a, b; c\nd \\x e\\"; s[0].Summary != want {
		t.Errorf("summary %q, want %q", s[0].Summary, want)
	}
}
