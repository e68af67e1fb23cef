package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// meetingTime is when the meeting is, in the reader's zone, said in full:
// people open these pages in another zone than the meeting's often
// enough that the zone is always named.
type meetingTime struct {
	ISO      string // the start, RFC 3339, for <time datetime>
	Text     string // "Tuesday 3 March 2026, 14:00–14:30"
	Zone     string // "Europe/Berlin time (CET, UTC+01:00)"
	Relative string // "in 3 hours"; "" once started
}

func (s *server) meetingTime(f prep.Form) meetingTime {
	loc := readerZone(f)
	start, end := f.Meeting.Start.In(loc), f.Meeting.End.In(loc)
	text := start.Format("Monday 2 January 2006, 15:04")
	switch {
	case end.IsZero() || !end.After(start):
	case sameDay(start, end):
		text += "–" + end.Format("15:04")
	default:
		text += " – " + end.Format("Monday 2 January 2006, 15:04")
	}
	return meetingTime{ISO: start.Format(time.RFC3339), Text: text, Zone: zoneName(start),
		Relative: relative(start.Sub(s.now()))}
}

// readerZone is Form.Location, else the meeting's own zone, else UTC.
func readerZone(f prep.Form) *time.Location {
	if f.Location != nil {
		return f.Location
	}
	if f.Meeting.TimeZone != "" {
		if loc, err := time.LoadLocation(f.Meeting.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// zoneName says which clock a time is on: the IANA name when there is
// one, the abbreviation unless it is only a number, and the UTC offset.
func zoneName(t time.Time) string {
	abbr, offset := t.Zone()
	utc := "UTC" + t.Format("-07:00")
	if offset == 0 {
		utc = "UTC"
	}
	name := t.Location().String()
	var parts []string
	if abbr != "" && abbr != "UTC" && !strings.ContainsAny(abbr[:1], "+-0123456789") {
		parts = append(parts, abbr)
	}
	parts = append(parts, utc)
	if name == "" || name == "Local" || name == "UTC" {
		return strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%s time (%s)", name, strings.Join(parts, ", "))
}

// relative says how far away a start is, roughly; "" once it has passed.
func relative(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < time.Minute:
		return "in less than a minute"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int((d+30*time.Minute)/time.Hour), "hour")
	default:
		return plural(int((d+12*time.Hour)/(24*time.Hour)), "day")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "in 1 " + unit
	}
	return fmt.Sprintf("in %d %ss", n, unit)
}
