package tz

import (
	"errors"
	"time"
)

const (
	// firstYear is where onsets start to matter. Outlook writes DTSTART
	// 1601-01-01 and eM Client 0001-03-25 meaning "since forever"; nobody
	// schedules meetings before 1900.
	firstYear = 1900
	// lastYear bounds the transition table; the location keeps the last
	// offset beyond it.
	lastYear = 2200
	// maxOnsets stops rules that make no sense for a time zone (a daily
	// offset change) from building a table of a hundred thousand entries.
	maxOnsets  = 5000
	maxPeriods = 1_000_000
)

var errTooMany = errors.New("rule changes the offset too often")

// expand calls emit with every onset of r from start (a wall clock) that
// falls in [firstYear, lastYear], honouring COUNT and UNTIL.
func (r rule) expand(start time.Time, offsetFrom int, emit func(time.Time)) error {
	seen, emitted := 0, 0
	var buf []time.Time
	for k := r.firstPeriod(start); k < maxPeriods; k++ {
		cands, year := r.period(buf[:0], start, k)
		buf = cands
		if year > lastYear {
			return nil
		}
		for _, t := range cands {
			if t.Before(start) {
				continue
			}
			seen++
			if r.past(t, offsetFrom) || (r.count > 0 && seen > r.count) || t.Year() > lastYear {
				return nil
			}
			if t.Year() >= firstYear {
				if emitted++; emitted > maxOnsets {
					return errTooMany
				}
				emit(t)
			}
		}
	}
	return errTooMany
}

// firstPeriod skips the periods before firstYear. With COUNT it cannot,
// because COUNT counts from DTSTART.
func (r rule) firstPeriod(start time.Time) int {
	if r.count > 0 || start.Year() >= firstYear {
		return 0
	}
	switch r.freq {
	case "YEARLY":
		return (firstYear - start.Year()) / r.interval
	case "MONTHLY":
		return ((firstYear-start.Year())*12 - int(start.Month()-1)) / r.interval
	}
	days := int((time.Date(firstYear, 1, 1, 0, 0, 0, 0, time.UTC).Unix() - start.Unix()) / 86400)
	if r.freq == "WEEKLY" {
		return days / (7 * r.interval)
	}
	return days / r.interval
}

// period appends the candidate onsets of the k-th period after DTSTART to
// out, in order, and returns the year the period starts in.
func (r rule) period(out []time.Time, start time.Time, k int) ([]time.Time, int) {
	switch r.freq {
	case "YEARLY":
		y := start.Year() + k*r.interval
		for _, m := range r.months(start) {
			out = r.days(out, start, y, time.Month(m))
		}
		return out, y
	case "MONTHLY":
		n := start.Year()*12 + int(start.Month()-1) + k*r.interval
		y, m := n/12, time.Month(n%12+1)
		if len(r.byMonth) > 0 && !containsInt(r.byMonth, int(m)) {
			return out, y
		}
		return r.days(out, start, y, m), y
	case "WEEKLY":
		base := start.AddDate(0, 0, 7*k*r.interval)
		if len(r.byDay) == 0 {
			return append(out, base), base.Year()
		}
		for i := range 7 {
			if d := base.AddDate(0, 0, i); r.dayMatches(d) {
				out = append(out, d)
			}
		}
		return out, base.Year()
	}
	d := start.AddDate(0, 0, k*r.interval)
	if !r.dayMatches(d) || (len(r.byMonth) > 0 && !containsInt(r.byMonth, int(d.Month()))) {
		return out, d.Year()
	}
	return append(out, d), d.Year()
}

// months is BYMONTH, or DTSTART's month. Without BYMONTH a yearly BYDAY
// would mean "the n-th weekday of the year"; writers who leave BYMONTH out
// ("FREQ=YEARLY;BYDAY=-1SU" with DTSTART in March) mean DTSTART's month.
func (r rule) months(start time.Time) []int {
	if len(r.byMonth) > 0 {
		return r.byMonth
	}
	return []int{int(start.Month())}
}

// days appends the onsets in month m of year y, at DTSTART's clock time.
func (r rule) days(out []time.Time, start time.Time, y int, m time.Month) []time.Time {
	first := time.Date(y, m, 1, start.Hour(), start.Minute(), start.Second(), 0, time.UTC)
	n := first.AddDate(0, 1, -1).Day()
	if len(r.byDay) == 0 && len(r.byMonthDay) == 0 {
		if start.Day() > n {
			return out // e.g. the 31st in a 30-day month: RFC 5545 skips it
		}
		return append(out, first.AddDate(0, 0, start.Day()-1))
	}
	wd1 := first.Weekday()
	if d, ok := r.nthWeekday(wd1, n); ok {
		if d == 0 {
			return out // a fifth Sunday in a month that has four
		}
		return append(out, first.AddDate(0, 0, d-1))
	}
	for d := 1; d <= n; d++ {
		if r.monthDayMatches(d, n) && r.byDayMatches(d, n, (wd1+time.Weekday(d-1))%7) {
			out = append(out, first.AddDate(0, 0, d-1))
		}
	}
	return out
}

// nthWeekday computes the day of a single "2SU" or "-1SU" directly, since
// that is what nearly every VTIMEZONE rule says; ok is false for the shapes
// that days has to scan for. wd1 is the weekday of the 1st, n the month's
// length; day 0 means the month has no such weekday.
func (r rule) nthWeekday(wd1 time.Weekday, n int) (day int, ok bool) {
	if len(r.byDay) != 1 || r.byDay[0].n == 0 || len(r.byMonthDay) > 0 {
		return 0, false
	}
	b := r.byDay[0]
	if b.n > 0 {
		day = 1 + int(b.wd-wd1+7)%7 + 7*(b.n-1)
	} else {
		wdn := (wd1 + time.Weekday(n-1)) % 7
		day = n - int(wdn-b.wd+7)%7 + 7*(b.n+1)
	}
	if day < 1 || day > n {
		return 0, true
	}
	return day, true
}

func (r rule) monthDayMatches(d, n int) bool {
	if len(r.byMonthDay) == 0 {
		return true
	}
	for _, md := range r.byMonthDay {
		if md == d || (md < 0 && n+1+md == d) {
			return true
		}
	}
	return false
}

// byDayMatches checks BYDAY within a month: "2SU" is the second Sunday,
// "-1SU" the last one.
func (r rule) byDayMatches(d, n int, wd time.Weekday) bool {
	if len(r.byDay) == 0 {
		return true
	}
	for _, b := range r.byDay {
		if b.wd != wd {
			continue
		}
		if b.n == 0 || b.n == (d-1)/7+1 || b.n == -((n-d)/7+1) {
			return true
		}
	}
	return false
}

// dayMatches applies BYDAY (weekday only) and BYMONTHDAY to a single date,
// for the weekly and daily rules.
func (r rule) dayMatches(t time.Time) bool {
	n := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if !r.monthDayMatches(t.Day(), n) {
		return false
	}
	if len(r.byDay) == 0 {
		return true
	}
	for _, b := range r.byDay {
		if b.wd == t.Weekday() {
			return true
		}
	}
	return false
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
