package calendars

import (
	"fmt"
	"time"

	"github.com/teambition/rrule-go"
)

// rrule-go looks for a rule's next instance period by period until the
// year 9999: a rule whose BYxxx parts select no day at all, or a BYSETPOS
// past any period's size, costs a few hundred milliseconds of search on
// every expansion. dayless finds these once, when the rule is read.

// probeStart is where the probe looks: the Gregorian calendar repeats
// every 400 years, so a pattern of days that exists at all exists between
// here and the year 9999, where rrule-go stops.
var probeStart = time.Date(9599, 1, 1, 0, 0, 0, 0, time.UTC)

// maxPerPeriod bounds what one period may hold: a daily rule at every
// second of the day is 86,400.
const maxPerPeriod = 100_000

var plainDays = []rrule.Weekday{rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU}

// dayless says why a rule can never produce an instance, or "".
func dayless(o rrule.ROption) string {
	if stepSeconds(o) == 0 && periodMost(o) > maxPerPeriod {
		// rrule-go builds a whole period's instances at once.
		return fmt.Sprintf("has up to %d instances in one %s period, more than %d", periodMost(o), o.Freq, maxPerPeriod)
	}
	if len(o.Bysetpos) > 0 && !anyPositionFits(o) {
		return fmt.Sprintf("BYSETPOS %v is beyond the instances of any %s period", o.Bysetpos, o.Freq)
	}
	if len(o.Byweekno)+len(o.Byyearday)+len(o.Bymonthday)+len(o.Byweekday) == 0 {
		return "" // every period has its own day
	}
	// The same day filters, as a YEARLY rule: a day passes them there
	// exactly when it passes them in a period of the rule.
	p := rrule.ROption{Freq: rrule.YEARLY, Dtstart: probeStart, Wkst: o.Wkst, Count: 1,
		Bymonth: o.Bymonth, Byweekno: o.Byweekno, Byyearday: o.Byyearday, Bymonthday: o.Bymonthday}
	nth := false
	for _, w := range o.Byweekday {
		if o.Freq > rrule.MONTHLY { // rrule-go ignores the ordinal there
			w = plainDays[w.Day()]
		}
		nth = nth || w.N() != 0
		p.Byweekday = append(p.Byweekday, w)
	}
	if o.Freq == rrule.MONTHLY && nth && len(p.Bymonth) == 0 {
		p.Bymonth = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} // "the 5th Monday" of a month
	}
	rr, err := rrule.NewRRule(p)
	if err != nil {
		return "" // reported as the rule's own error
	}
	if _, ok := rr.Iterator()(); !ok {
		return "selects no day of any year (BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY)"
	}
	return ""
}

// anyPositionFits reports whether some BYSETPOS is within the most
// instances one period can hold (an upper bound: a rule is refused only
// when no period can ever have that many).
func anyPositionFits(o rrule.ROption) bool {
	most := periodMost(o)
	for _, p := range o.Bysetpos {
		if p != 0 && p <= most && -p <= most {
			return true
		}
	}
	return false
}

// periodMost bounds the instances one period of a daily or coarser rule
// can hold: its days times BYHOUR, BYMINUTE and BYSECOND.
func periodMost(o rrule.ROption) int {
	days, weeks, months := 1, 1, 1 // daily; finer rules hold one instance a period
	switch o.Freq {
	case rrule.YEARLY:
		days, weeks, months = 366, 53, 12
	case rrule.MONTHLY:
		days, weeks = 31, 5
	case rrule.WEEKLY:
		days = 7
	}
	if len(o.Byweekday) > 0 {
		n := 0
		for _, w := range o.Byweekday {
			if w.N() == 0 {
				n += weeks
			} else {
				n += months
			}
		}
		days = min(days, n)
	}
	if len(o.Bymonthday) > 0 {
		days = min(days, len(o.Bymonthday)*months)
	}
	return days * distinct(o.Byhour) * distinct(o.Byminute) * distinct(o.Bysecond)
}
