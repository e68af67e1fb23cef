package graphtest

// Expansion follows "patternedRecurrence resource type": daily and weekly
// patterns with an interval (weekly: daysOfWeek, weeks starting on
// firstDayOfWeek = sunday), ranges endDate (inclusive, a date in the
// recurrence time zone), numbered (numberOfOccurrences) and noEnd.
// Instances keep their wall-clock time in the event's zone across DST.

import (
	"slices"
	"time"

	"github.com/oneonone/oneonone/calendars/tz"
)

// maxInstances bounds an expansion (a noEnd series in a long window).
const maxInstances = 5000

// zoneLoc resolves a Windows or IANA zone name; unknown names are UTC.
func zoneLoc(name string) *time.Location {
	if name == "" || name == "UTC" {
		return time.UTC
	}
	loc, _, err := tz.Resolve(name, nil)
	if err != nil || loc == nil {
		return time.UTC
	}
	return loc
}

// instanceStarts lists the original starts (UTC) of master's pattern whose
// instance overlaps [from, to); a zero to means no upper bound (bounded by
// the range or maxInstances).
func instanceStarts(master *item, from, to time.Time) []time.Time {
	rec := master.rec
	if rec == nil {
		return nil
	}
	loc := zoneLoc(master.zone)
	first := master.start.In(loc)
	dur := master.end.Sub(master.start)
	interval := max(rec.Interval, 1)
	var out []time.Time
	n := 0
	emit := func(d time.Time) bool { // false stops
		t := time.Date(d.Year(), d.Month(), d.Day(), first.Hour(), first.Minute(), first.Second(), 0, loc)
		if !rec.Until.IsZero() && dateAfter(t, rec.Until) {
			return false
		}
		if rec.Count > 0 && n >= rec.Count {
			return false
		}
		if !to.IsZero() && !t.Before(to) {
			return false
		}
		n++
		if t.Add(dur).After(from) || (dur == 0 && !t.Before(from)) {
			out = append(out, t.UTC())
		}
		return n < maxInstances
	}
	if rec.Pattern == "daily" {
		for i := 0; ; i += interval {
			if !emit(first.AddDate(0, 0, i)) {
				return out
			}
		}
	}
	days := rec.DaysOfWeek
	if len(days) == 0 {
		days = []time.Weekday{first.Weekday()}
	}
	days = slices.Clone(days)
	slices.Sort(days)
	weekStart := first.AddDate(0, 0, -int(first.Weekday()))
	for w := 0; ; w += interval {
		for _, d := range days {
			date := weekStart.AddDate(0, 0, 7*w+int(d))
			if dateBefore(date, first) {
				continue
			}
			if !emit(date) {
				return out
			}
		}
	}
}

func dateAfter(t, until time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := until.Date()
	return y1 > y2 || (y1 == y2 && (m1 > m2 || (m1 == m2 && d1 > d2)))
}

func dateBefore(t, ref time.Time) bool {
	return dateAfter(ref, t)
}

// inPattern tells whether originalStart is an instance of master.
func inPattern(master *item, originalStart time.Time) bool {
	starts := instanceStarts(master, originalStart.Add(-time.Second), originalStart.Add(time.Second))
	for _, t := range starts {
		if t.Equal(originalStart) {
			return true
		}
	}
	return false
}
