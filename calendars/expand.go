package calendars

import (
	"fmt"
	"sort"
	"time"

	"github.com/teambition/rrule-go"
)

// Expand returns the occurrences of s that overlap [from, to), sorted by
// start. Unbounded rules are never expanded past the window. Cancelled
// overrides are returned with StatusCancelled; excluded dates are not
// returned at all. At most MaxPerDay occurrences per day of the window
// are returned (see ExpandBounded).
func (s *Series) Expand(from, to time.Time) []Occurrence {
	occ, _ := s.ExpandBounded(from, to)
	return occ
}

// ExpandBounded is Expand that also says, in one line, when a limit cut
// the expansion short ("" when nothing was cut): more than MaxPerDay
// occurrences per day of the window, a rule that needs more than maxWalk
// instances to reach the window, or one that could never produce one.
// The earliest occurrences are the ones kept.
func (s *Series) ExpandBounded(from, to time.Time) ([]Occurrence, string) {
	if !to.After(from) {
		return nil, ""
	}
	shift := s.maxShift()
	lo := from.Add(-s.Duration - shift - 24*time.Hour)
	hi := to.Add(shift + 24*time.Hour)
	keys, cut := s.instances(collector{lo: lo, early: from.Add(-s.Duration - shift), hi: hi, limit: windowCap(from, to)})
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
	if limit := windowCap(from, to); len(out) > limit {
		out = out[:limit]
		if cut == "" {
			cut = fmt.Sprintf("more than %d occurrences (%d a day) in the window; only the first %d are kept", limit, MaxPerDay, limit)
		}
	}
	return out, cut
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

// instances returns the original starts in the collector's window:
// DTSTART, every rule's instances and the RDATEs, without the excluded
// ones, sorted and unique; at most its limit, and why it stopped short.
func (s *Series) instances(c collector) ([]time.Time, string) {
	if s.Partial {
		return nil, ""
	}
	c.ex = s.exclusions()
	c.add(s.Start)
	c.dtstart = s.Start
	for _, r := range s.Rules {
		s.ruleInstances(r, &c)
	}
	for _, p := range s.RDates {
		c.add(p.Start)
	}
	ts := c.ts
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	out := ts[:0]
	for i, t := range ts {
		if i == 0 || !t.Equal(ts[i-1]) {
			out = append(out, t)
		}
	}
	return out, c.cut
}

func (s *Series) ruleInstances(r Rule, c *collector) {
	opt := r.opt
	opt.Dtstart = s.Start
	opt.Until = s.until(r)
	why := r.dayless
	if why == "" {
		why = neverProduces(opt)
	}
	if why != "" {
		c.stop(fmt.Sprintf("RRULE %s %s; not expanded", clipped(r.Text), why))
		return
	}
	opt = skipAhead(opt, c.lo)
	if opt.Count < 0 {
		return // the COUNT ran out before the window
	}
	rr, err := rrule.NewRRule(opt)
	if err != nil {
		return // reported when the series was read
	}
	fixWall := opt.Freq <= rrule.DAILY && s.Location != time.UTC && len(opt.Byhour)+len(opt.Byminute)+len(opt.Bysecond) == 0
	next := rr.Iterator()
	for walked := 0; ; {
		t, ok := next()
		if !ok || t.After(c.hi) {
			return
		}
		if fixWall {
			// rrule-go builds instances with time.Date; rebuild them
			// from DTSTART's clock so gaps and overlaps follow RFC 5545.
			y, m, d := t.Date()
			t = wall(y, m, d, s.Start.Hour(), s.Start.Minute(), s.Start.Second(), s.Location)
		}
		if t.Before(c.lo) {
			if walked++; walked > maxWalk {
				c.stop(fmt.Sprintf("RRULE %s needs more than %d instances to reach the window; not expanded", clipped(r.Text), maxWalk))
				return
			}
			continue
		}
		if !c.add(t) {
			return
		}
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
