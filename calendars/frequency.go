package calendars

import (
	"fmt"
	"time"

	"github.com/teambition/rrule-go"
)

// tooFrequent says why a series repeats more often than any 1:1, or ""
// when it does not. A rule repeating every second or minute is never a
// meeting; an hourly one is only when its COUNT or UNTIL ends it within
// MaxPerDay instances (a few sessions on one day); a daily or longer
// rule only when BYHOUR, BYMINUTE and BYSECOND give at most MaxPerDay
// times a day.
func (s *Series) tooFrequent() string {
	for _, r := range s.Rules {
		if why := r.tooFrequent(s.Start); why != "" {
			return "not a 1:1: " + why
		}
	}
	return ""
}

func (r Rule) tooFrequent(start time.Time) string {
	o := r.opt
	n := max(o.Interval, 1)
	switch o.Freq {
	case rrule.SECONDLY:
		return fmt.Sprintf("repeats every %s (FREQ=SECONDLY%s)", every(n, "second"), interval(n))
	case rrule.MINUTELY:
		return fmt.Sprintf("repeats every %s (FREQ=MINUTELY%s)", every(n, "minute"), interval(n))
	case rrule.HOURLY:
		if r.hourlyInstances(start) > MaxPerDay {
			return fmt.Sprintf("repeats every %s (FREQ=HOURLY%s) more than %d times", every(n, "hour"), interval(n), MaxPerDay)
		}
		return ""
	}
	if k := distinct(o.Byhour) * distinct(o.Byminute) * distinct(o.Bysecond); k > MaxPerDay {
		return fmt.Sprintf("repeats up to %d times a day (BYHOUR, BYMINUTE, BYSECOND), more than %d", k, MaxPerDay)
	}
	return ""
}

// hourlyInstances bounds how many instances an HOURLY rule has, by its
// COUNT or UNTIL; an unbounded rule has more than any limit.
func (r Rule) hourlyInstances(start time.Time) int {
	n := -1
	if r.opt.Count > 0 {
		n = r.opt.Count
	}
	if u := r.opt.Until; !u.IsZero() {
		if r.untilFloating || r.untilDate {
			// Wall clock against wall clock, as the rule means it.
			y, m, d := start.Date()
			h, mi, sec := start.Clock()
			start = time.Date(y, m, d, h, mi, sec, 0, time.UTC)
		}
		periods := max(int(u.Sub(start).Hours()), 0)/max(r.opt.Interval, 1) + 1
		if k := periods * distinct(r.opt.Byminute) * distinct(r.opt.Bysecond); n < 0 || k < n {
			n = k
		}
	}
	if n < 0 {
		return MaxPerDay + 1
	}
	return n
}

func distinct(xs []int) int {
	if len(xs) <= 1 {
		return 1
	}
	seen := map[int]bool{}
	for _, x := range xs {
		seen[x] = true
	}
	return max(len(seen), 1)
}

func every(n int, unit string) string {
	if n == 1 {
		return unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func interval(n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(";INTERVAL=%d", n)
}
