package calendars

import (
	"fmt"
	"time"

	"github.com/teambition/rrule-go"
)

// collector gathers instance starts inside [lo, hi], at most limit of
// them from early on, and remembers the first reason it stopped short.
// Instances in [lo, early) only matter when an override moves them into
// the window; at most limit of those are kept too.
type collector struct {
	lo, early, hi time.Time
	limit         int
	ex            exclusions
	ts            []time.Time
	dtstart       time.Time // added first; a rule's first instance repeats it
	n, before     int
	cut           string
}

// add keeps t when it is in the window and not excluded; it reports
// false once the collector is full.
func (c *collector) add(t time.Time) bool {
	if t.Before(c.lo) || t.After(c.hi) || c.ex.has(t) || t.Equal(c.dtstart) {
		return true
	}
	if t.Before(c.early) {
		if c.before++; c.before <= c.limit {
			c.ts = append(c.ts, t)
		}
		return true
	}
	if c.n >= c.limit {
		c.stop(fmt.Sprintf("more than %d instances (%d a day) in the window; the rest are not expanded", c.limit, MaxPerDay))
		return false
	}
	c.n++
	c.ts = append(c.ts, t)
	return true
}

func (c *collector) stop(why string) {
	if c.cut == "" {
		c.cut = why
	}
}

// exclusions answer whether an instance is an EXDATE: by a scan when an
// event has a few, by sets when it has many, so that each instance is
// checked in constant time however many EXDATEs an event carries.
type exclusions struct {
	few    []ExDate
	allDay bool
	at     map[int64]bool // instants, as Unix seconds (iCalendar has no finer)
	dates  map[int64]bool // local dates, as dateKey Unix seconds
}

const fewExDates = 16

func (s *Series) exclusions() exclusions {
	if len(s.ExDates) <= fewExDates {
		return exclusions{few: s.ExDates, allDay: s.AllDay}
	}
	ex := exclusions{at: map[int64]bool{}, dates: map[int64]bool{}}
	for _, x := range s.ExDates {
		if x.Date || s.AllDay {
			ex.dates[dateKey(x.T).Unix()] = true
		} else {
			ex.at[x.T.Unix()] = true
		}
	}
	return ex
}

func (ex exclusions) has(t time.Time) bool {
	for _, x := range ex.few {
		if x.Date || ex.allDay {
			if dateKey(x.T).Equal(dateKey(t)) {
				return true
			}
		} else if x.T.Equal(t) {
			return true
		}
	}
	if len(ex.at) == 0 && len(ex.dates) == 0 {
		return false
	}
	return ex.at[t.Unix()] || ex.dates[dateKey(t).Unix()]
}

// stepSeconds is the period of a rule finer than daily, in seconds of
// wall clock; 0 for daily and coarser rules.
func stepSeconds(o rrule.ROption) int64 {
	n := int64(max(o.Interval, 1))
	switch o.Freq {
	case rrule.HOURLY:
		return n * 3600
	case rrule.MINUTELY:
		return n * 60
	case rrule.SECONDLY:
		return n
	}
	return 0
}

// neverProduces says why rrule-go would loop forever on a rule finer
// than daily, or "". Its iterator steps the clock by INTERVAL until
// BYHOUR, BYMINUTE and BYSECOND match, with no end when no step ever
// can; and BYSETPOS on such rules selects from one instance a period, so
// positions past the first make it step to the year 9999 in vain.
func neverProduces(o rrule.ROption) string {
	step := stepSeconds(o)
	if step == 0 {
		return ""
	}
	if len(o.Bysetpos) > 0 {
		return "has BYSETPOS with a FREQ finer than DAILY"
	}
	// Every step lands on the same lattice of times of day.
	h0, m0, s0 := o.Dtstart.Clock()
	g := gcd(step, 86400)
	start := int64(h0*3600 + m0*60 + s0)
	hours, minutes, seconds := orAll(o.Byhour, 24), orAll(o.Byminute, 60), orAll(o.Bysecond, 60)
	switch o.Freq { // the parts the stepping does not check come from DTSTART
	case rrule.HOURLY:
		minutes, seconds = []int{m0}, []int{s0}
	case rrule.MINUTELY:
		seconds = []int{s0}
	}
	for _, h := range hours {
		for _, m := range minutes {
			for _, s := range seconds {
				if (int64(h*3600+m*60+s)-start)%g == 0 {
					return ""
				}
			}
		}
	}
	return "never reaches a time its BYHOUR, BYMINUTE or BYSECOND allow at its INTERVAL"
}

func orAll(xs []int, n int) []int {
	if len(xs) > 0 {
		return xs
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	return all
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// skipAhead moves a rule's DTSTART forward by whole periods to shortly
// before lo, so that a series that started years ago costs no more than
// one that started last week, without changing which instances fall
// after the new start. DAILY and WEEKLY rules without COUNT move by whole
// days. Rules finer than daily move by whole steps; with a COUNT too when
// they have no BYxxx part (then every step is one instance, and the COUNT
// shrinks by the steps skipped; a negative COUNT means none are left).
// Other COUNT rules are walked from the start, within maxWalk.
func skipAhead(o rrule.ROption, lo time.Time) rrule.ROption {
	if step := stepSeconds(o); step > 0 {
		return skipSteps(o, lo, step)
	}
	if o.Count == 0 {
		o.Dtstart = fastForward(o, lo)
	}
	return o
}

func skipSteps(o rrule.ROption, lo time.Time, step int64) rrule.ROption {
	byParts := len(o.Bymonth)+len(o.Byweekno)+len(o.Byyearday)+len(o.Bymonthday)+len(o.Byweekday)+
		len(o.Byhour)+len(o.Byminute)+len(o.Bysecond) > 0
	if o.Count > 0 && byParts {
		return o
	}
	gap := lo.Sub(o.Dtstart) - 48*time.Hour // room for DST shifts of the wall clock
	if gap <= 0 {
		return o
	}
	k := int64(gap/time.Second) / step
	loc := o.Dtstart.Location()
	y, m, d := o.Dtstart.Date()
	h, mi, s := o.Dtstart.Clock()
	naive := time.Date(y, m, d, h, mi, s, 0, time.UTC)
	for ; k > 0; k-- {
		w := naive.Add(time.Duration(k*step) * time.Second)
		t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
		if t.Hour() == w.Hour() && t.Minute() == w.Minute() && t.Second() == w.Second() {
			break // not in a DST gap, where time.Date would move it off the rule's clock
		}
	}
	if k <= 0 {
		return o
	}
	if o.Count > 0 {
		if int64(o.Count) <= k {
			o.Count = -1
			return o
		}
		o.Count -= int(k)
	}
	w := naive.Add(time.Duration(k*step) * time.Second)
	o.Dtstart = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
	return o
}

// fastForward moves DTSTART of a rule without COUNT forward by whole
// periods to just before lo. Only DAILY and WEEKLY rules are moved: their
// periods are a fixed number of days, so the rule's meaning is unchanged.
func fastForward(opt rrule.ROption, lo time.Time) time.Time {
	start := opt.Dtstart
	var days int
	switch opt.Freq {
	case rrule.DAILY:
		days = 1
	case rrule.WEEKLY:
		days = 7
	default:
		return start
	}
	if opt.Interval > 1 {
		days *= opt.Interval
	}
	gap := lo.Sub(start) - 8*24*time.Hour
	if gap <= 0 {
		return start
	}
	k := int(gap / (time.Duration(days) * 24 * time.Hour))
	if k <= 0 {
		return start
	}
	y, m, d := start.Date()
	return wall(y, m, d+k*days, start.Hour(), start.Minute(), start.Second(), start.Location())
}
