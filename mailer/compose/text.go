package compose

import (
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// cleanText keeps line structure but drops every other control character
// and normalises line ends, for the agenda in a mail body.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case calendars.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// short is the time in a subject: "Tue 14:00".
func short(t time.Time, loc *time.Location) string {
	return t.In(orUTC(loc)).Format("Mon 15:04")
}

// long is the time in a body: "Tuesday 3 March 2026, 14:00–14:30 CET".
// The zone is named once, or at both ends when a clock change falls
// inside the meeting.
func long(start, end time.Time, loc *time.Location) string {
	loc = orUTC(loc)
	s, e := start.In(loc), end.In(loc)
	const day, clock = "Monday 2 January 2006, ", "15:04"
	switch {
	case end.IsZero() || !e.After(s):
		return s.Format(day + clock + " MST")
	case s.Format("MST") != e.Format("MST"):
		return s.Format(day+clock+" MST") + "–" + e.Format(clock+" MST")
	case e.YearDay() == s.YearDay() && e.Year() == s.Year():
		return s.Format(day+clock) + "–" + e.Format(clock+" MST")
	}
	return s.Format(day+clock) + " – " + e.Format(day+clock+" MST")
}

// zoneName names the zone for people: "Europe/Berlin", or "UTC".
func zoneName(loc *time.Location) string { return orUTC(loc).String() }

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
