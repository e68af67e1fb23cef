package calendars

import (
	"sort"
	"time"

	"github.com/teambition/rrule-go"
)

// Expand returns the occurrences of s that overlap [from, to), sorted by
// start. Unbounded rules are never expanded past the window. Cancelled
// overrides are returned with StatusCancelled; excluded dates are not
// returned at all.
func (s *Series) Expand(from, to time.Time) []Occurrence {
	if !to.After(from) {
		return nil
	}
	shift := s.maxShift()
	lo := from.Add(-s.Duration - shift - 24*time.Hour)
	hi := to.Add(shift + 24*time.Hour)
	keys := s.instances(lo, hi)
	ov := s.overrideIndex()
	var out []Occurrence
	for _, k := range keys {
		o := s.occurrence(k, ov)
		if overlaps(o, from, to) {
			out = append(out, o)
		}
	}
	// A series seen only through overrides has no instances of its own.
	// Elsewhere an override for an instance the series does not produce
	// is ignored, as other expanders do: it usually outlived an UNTIL that
	// was shortened.
	if s.Partial {
		for i := range s.Overrides {
			o := &s.Overrides[i]
			occ := s.fromOverride(s.overrideKey(o), o)
			if overlaps(occ, from, to) {
				out = append(out, occ)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].Key.Before(out[j].Key)
	})
	return out
}

func overlaps(o Occurrence, from, to time.Time) bool {
	if o.End.After(o.Start) {
		return o.Start.Before(to) && o.End.After(from)
	}
	return !o.Start.Before(from) && o.Start.Before(to)
}

// maxShift is how far any override moves its occurrence, so that the
// base instances are generated wide enough to catch one moved into the
// window from outside it.
func (s *Series) maxShift() time.Duration {
	var m time.Duration
	for i := range s.Overrides {
		o := &s.Overrides[i]
		d := o.Start.Sub(o.RecurrenceID)
		if d < 0 {
			d = -d
		}
		if e := o.End.Sub(o.Start); e > s.Duration {
			d += e - s.Duration
		}
		if d > m {
			m = d
		}
	}
	return m
}

// instances returns the original starts in [lo, hi]: DTSTART, every
// rule's instances and the RDATEs, without the excluded ones, sorted and
// unique.
func (s *Series) instances(lo, hi time.Time) []time.Time {
	var ts []time.Time
	if s.Partial {
		return nil
	}
	add := func(t time.Time) {
		if !t.Before(lo) && !t.After(hi) && !s.excluded(t) {
			ts = append(ts, t)
		}
	}
	add(s.Start)
	for _, r := range s.Rules {
		s.ruleInstances(r, lo, hi, add)
	}
	for _, p := range s.RDates {
		add(p.Start)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	out := ts[:0]
	for i, t := range ts {
		if i == 0 || !t.Equal(ts[i-1]) {
			out = append(out, t)
		}
	}
	return out
}

func (s *Series) ruleInstances(r Rule, lo, hi time.Time, add func(time.Time)) {
	opt := r.opt
	opt.Dtstart = s.Start
	opt.Until = s.until(r)
	if opt.Count == 0 {
		opt.Dtstart = fastForward(opt, lo)
	}
	rr, err := rrule.NewRRule(opt)
	if err != nil {
		return // reported when the series was read
	}
	fixWall := s.Location != time.UTC && len(opt.Byhour)+len(opt.Byminute)+len(opt.Bysecond) == 0
	next := rr.Iterator()
	for {
		t, ok := next()
		if !ok || t.After(hi) {
			return
		}
		if fixWall {
			// rrule-go builds instances with time.Date; rebuild them
			// from DTSTART's clock so gaps and overlaps follow RFC 5545.
			y, m, d := t.Date()
			t = wall(y, m, d, s.Start.Hour(), s.Start.Minute(), s.Start.Second(), s.Location)
		}
		add(t)
	}
}

// until turns the rule's UNTIL into an instant comparable with the
// generated instances: a DATE is inclusive of that whole local day, a
// floating date-time is wall clock in the series' zone.
func (s *Series) until(r Rule) time.Time {
	u := r.opt.Until
	switch {
	case u.IsZero():
		return u
	case s.AllDay:
		if r.untilDate || r.untilFloating {
			return u
		}
		return u
	case r.untilDate:
		return time.Date(u.Year(), u.Month(), u.Day()+1, 0, 0, 0, 0, s.Location).Add(-time.Second)
	case r.untilFloating:
		return wall(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), s.Location)
	}
	return u
}

// fastForward moves DTSTART of a rule without COUNT forward by whole
// periods to just before lo, so that a series that started years ago
// costs no more than one that started last week. Only DAILY and WEEKLY
// rules are moved: their periods are a fixed number of days, so the
// rule's meaning is unchanged.
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
