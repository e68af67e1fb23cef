package tz

import "time"

// slack is how long a definition may disagree with a tz database zone per
// compared year and still count as the same zone. Writers get the onset's
// wall clock wrong (khal writes the spring onset as 03:00, the time after
// the jump) or mix up UTC and local time, which costs hours; a customized
// zone differs by weeks ("4th Sunday" instead of "last Sunday") or always.
const slack = 24 * time.Hour

// agrees reports whether a tz database zone and a definition's location
// have the same offsets over the stretch the definition speaks for. Only one
// year is compared, which keeps the check cheap and avoids false alarms:
//   - a definition with open-ended rules (Outlook, Thunderbird), or whose
//     last onset is its "since forever" DTSTART, describes the present, so
//     the current year is compared. Earlier years would not do: Outlook
//     projects today's rules back to 1601, which the tz database's history
//     contradicts.
//   - a definition that only lists onsets (khal writes the 2014 to 2016
//     transitions as RDATEs) says nothing after its last onset, so the year
//     up to that onset is compared.
func agrees(zone, own *time.Location, sp span) bool {
	var from, to time.Time
	switch {
	case sp.open || sp.n == 0 || time.Unix(sp.last, 0).Year() < firstYear:
		y := time.Now().Year()
		if sp.n > 0 && time.Unix(sp.first, 0).Year() > y {
			y = time.Unix(sp.first, 0).Year()
		}
		from = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		to = from.AddDate(1, 0, 0)
	default:
		to = time.Unix(sp.last, 0).Add(time.Second)
		from = to.AddDate(-1, 0, 0)
	}
	return disagreement(zone, own, from, to) <= slack
}

// disagreement measures how long a and b have different offsets in
// [from, to). It walks zone period by zone period, so it visits every
// stretch of constant offset in either location once.
func disagreement(a, b *time.Location, from, to time.Time) time.Duration {
	var d time.Duration
	for t := from; t.Before(to); {
		ta, tb := t.In(a), t.In(b)
		next := to
		for _, tt := range []time.Time{ta, tb} {
			if _, end := tt.ZoneBounds(); !end.IsZero() && end.Before(next) {
				next = end
			}
		}
		if offsetOf(ta) != offsetOf(tb) {
			d += next.Sub(t)
		}
		t = next
	}
	return d
}

func offsetOf(t time.Time) int {
	_, off := t.Zone()
	return off
}
