package web

import (
	"testing"
	"time"
)

// Times are in the reader's zone, with the zone named: DST, zones
// without a letter abbreviation, and unknown zones included.
func TestMeetingTimeNamesTheZone(t *testing.T) {
	s := &server{now: func() time.Time { return testNow }}
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	summer := time.Date(2026, 7, 7, 14, 0, 0, 0, zone("Europe/Berlin"))
	for _, c := range []struct {
		loc   *time.Location
		tz    string
		start time.Time
		want  string
	}{
		{zone("Asia/Kolkata"), "", time.Time{}, "Tuesday 3 March 2026, 18:30–19:00, Asia/Kolkata time (IST, UTC+05:30), in 20 hours"},
		{zone("America/Sao_Paulo"), "", time.Time{}, "Tuesday 3 March 2026, 10:00–10:30, America/Sao_Paulo time (UTC-03:00), in 20 hours"},
		{nil, "Europe/Berlin", time.Time{}, "Tuesday 3 March 2026, 14:00–14:30, Europe/Berlin time (CET, UTC+01:00), in 20 hours"},
		{nil, "Europe/Berlin", summer, "Tuesday 7 July 2026, 14:00–14:30, Europe/Berlin time (CEST, UTC+02:00), in 127 days"},
		{zone("Pacific/Auckland"), "", time.Date(2026, 3, 3, 23, 30, 0, 0, time.UTC),
			"Wednesday 4 March 2026, 12:30–13:00, Pacific/Auckland time (NZDT, UTC+13:00), in 31 hours"},
		{zone("America/New_York"), "", time.Date(2026, 3, 4, 4, 45, 0, 0, time.UTC),
			"Tuesday 3 March 2026, 23:45 – Wednesday 4 March 2026, 00:15, America/New_York time (EST, UTC-05:00), in 36 hours"},
		{nil, "", time.Time{}, "Tuesday 3 March 2026, 13:00–13:30, UTC, in 20 hours"},
		{nil, "Not/AZone", time.Time{}, "Tuesday 3 March 2026, 13:00–13:30, UTC, in 20 hours"},
	} {
		f := sampleForm()
		f.Location, f.Meeting.TimeZone = c.loc, c.tz
		if !c.start.IsZero() {
			f.Meeting.Start, f.Meeting.End = c.start, c.start.Add(30*time.Minute)
		}
		m := s.meetingTime(f)
		if got := m.Text + ", " + m.Zone + ", " + m.Relative; got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}

func TestRelative(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Hour:                  "",
		0:                           "",
		30 * time.Second:            "in less than a minute",
		time.Minute:                 "in 1 minute",
		59 * time.Minute:            "in 59 minutes",
		90 * time.Minute:            "in 2 hours",
		47 * time.Hour:              "in 47 hours",
		48 * time.Hour:              "in 2 days",
		10*24*time.Hour + time.Hour: "in 10 days",
	} {
		if got := relative(d); got != want {
			t.Errorf("relative(%v) = %q, want %q", d, got, want)
		}
	}
}
