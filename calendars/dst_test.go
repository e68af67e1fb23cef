package calendars_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

func weekly(zone, dtstart, extra string) string {
	return fmt.Sprintf(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:dst-%s@test
DTSTAMP:20240101T000000Z
DTSTART;TZID=%s:%s
DURATION:PT30M
RRULE:FREQ=WEEKLY
SUMMARY:1:1 Ada / Grace
ORGANIZER;CN=Ada:mailto:ada@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:grace@example.com
%sEND:VEVENT
END:VCALENDAR
`, zone, zone, dtstart, extra)
}

func readOne(t *testing.T, text string) *calendars.Series {
	t.Helper()
	s, probs := calendars.ReadICS([]calendars.File{{Name: "test.ics", Data: []byte(text)}}, calendars.ReadOptions{})
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if len(s) != 1 {
		t.Fatalf("got %d series, want 1", len(s))
	}
	return s[0]
}

// A weekly 1:1 keeps its wall-clock time on both sides of every DST
// change of 2024, and the keys of its occurrences do not depend on the
// window they were expanded in.
func TestWeeklyAcrossDSTKeepsWallClock(t *testing.T) {
	for _, zone := range []string{"Europe/Berlin", "America/New_York", "Australia/Sydney"} {
		t.Run(zone, func(t *testing.T) {
			s := readOne(t, weekly(zone, "20240105T093000", ""))
			loc, _ := time.LoadLocation(zone)
			from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
			occ := s.Expand(from, to)
			if len(occ) != 52 {
				t.Fatalf("got %d occurrences in 2024, want 52", len(occ))
			}
			offsets := map[int]bool{}
			for _, o := range occ {
				if o.Start.Hour() != 9 || o.Start.Minute() != 30 || o.Start.Weekday() != time.Friday {
					t.Errorf("occurrence %s is not Friday 09:30 local", o.Start)
				}
				if !o.Key.Equal(o.Start) || o.Key.Location() != time.UTC {
					t.Errorf("key %s is not the UTC original start %s", o.Key, o.Start)
				}
				_, off := o.Start.Zone()
				offsets[off] = true
			}
			if len(offsets) != 2 {
				t.Errorf("expected occurrences on both sides of a DST change, saw offsets %v", offsets)
			}
			// Stable keys: a narrower window yields the same keys.
			mid := s.Expand(time.Date(2024, 3, 1, 0, 0, 0, 0, loc), time.Date(2024, 5, 1, 0, 0, 0, 0, loc))
			set := map[time.Time]bool{}
			for _, o := range occ {
				set[o.Key] = true
			}
			for _, o := range mid {
				if !set[o.Key] {
					t.Errorf("key %s from a narrower window is not among the full year's keys", o.Key)
				}
			}
		})
	}
}

// RFC 5545 3.3.5: a local time in the spring-forward gap is read with the
// offset before the gap; one in the fall-back overlap means its first
// occurrence.
func TestDSTGapAndOverlap(t *testing.T) {
	cases := []struct {
		zone, dtstart string
		day           time.Time
		wantUTC       string
	}{
		{"Europe/Berlin", "20240303T023000", time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC), "2024-03-31T01:30:00Z"},
		{"Europe/Berlin", "20240303T023000", time.Date(2024, 10, 27, 0, 0, 0, 0, time.UTC), "2024-10-27T00:30:00Z"},
		{"America/New_York", "20240303T023000", time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC), "2024-03-10T07:30:00Z"},
		{"America/New_York", "20240303T013000", time.Date(2024, 11, 3, 0, 0, 0, 0, time.UTC), "2024-11-03T05:30:00Z"},
		{"Australia/Sydney", "20240303T023000", time.Date(2024, 10, 6, 0, 0, 0, 0, time.UTC), "2024-10-05T16:30:00Z"},
		{"Australia/Sydney", "20240303T023000", time.Date(2024, 4, 7, 0, 0, 0, 0, time.UTC), "2024-04-06T15:30:00Z"},
	}
	for _, c := range cases {
		t.Run(c.zone+"/"+c.wantUTC, func(t *testing.T) {
			s := readOne(t, weekly(c.zone, c.dtstart, ""))
			occ := s.Expand(c.day.Add(-24*time.Hour), c.day.Add(24*time.Hour))
			if len(occ) != 1 {
				t.Fatalf("got %d occurrences, want 1", len(occ))
			}
			if got := occ[0].Key.Format(time.RFC3339); got != c.wantUTC {
				t.Errorf("key %s, want %s (start %s)", got, c.wantUTC, occ[0].Start)
			}
		})
	}
}
