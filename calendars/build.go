package calendars

import "time"

// buildSeries combines the components that share a UID: the master with
// the highest SEQUENCE (then the latest DTSTAMP, then the last one read),
// and per RECURRENCE-ID the override with the highest SEQUENCE.
func buildSeries(evs []*vevent) (*Series, []Problem) {
	var probs []Problem
	var master *vevent
	var overrides []*vevent
	for _, e := range evs {
		if e.hasRecur {
			overrides = append(overrides, e)
			continue
		}
		if master == nil || newer(e, master) {
			master = e
		}
	}
	if master == nil {
		// No master: a component carrying both RECURRENCE-ID and RRULE is
		// taken as the series itself (a producer error seen in the wild).
		pick := -1
		for i, o := range overrides {
			if len(o.rules) > 0 && (pick < 0 || newer(o, overrides[pick])) {
				pick = i
			}
		}
		if pick >= 0 {
			master = overrides[pick]
			overrides = append(overrides[:pick:pick], overrides[pick+1:]...)
			probs = append(probs, Problem{File: master.file, Line: master.line, UID: master.uid,
				Message: "the only recurring component has a RECURRENCE-ID; read as the series itself"})
		}
	}
	if master == nil {
		return partialSeries(overrides), probs
	}
	s := seriesFrom(master)
	s.Overrides = pickOverrides(overrides, s)
	// The series' version is the highest SEQUENCE of any of its parts;
	// every occurrence carries it (as other expanders report it).
	for _, e := range evs {
		s.Sequence = max(s.Sequence, e.details.Sequence)
	}
	return s, probs
}

func newer(a, b *vevent) bool {
	if a.details.Sequence != b.details.Sequence {
		return a.details.Sequence > b.details.Sequence
	}
	return !a.stamp.Before(b.stamp)
}

func seriesFrom(m *vevent) *Series {
	s := &Series{
		UID:      m.uid,
		Location: m.start.zone.loc,
		TimeZone: m.start.zone.iana,
		AllDay:   m.start.date,
		Floating: m.start.floating,
		Start:    m.start.t,
		Duration: m.dur,
		Rules:    m.rules,
		RDates:   m.rdates,
		ExDates:  m.exdates,
		Details:  m.details,
	}
	if s.AllDay {
		s.Location, s.TimeZone = time.UTC, ""
	}
	if s.Floating {
		s.TimeZone = ""
	}
	if s.Location == nil {
		s.Location = time.UTC
	}
	if s.Status == "" {
		s.Status = StatusConfirmed
	}
	return s
}

// pickOverrides keeps, per occurrence key, the override with the highest
// SEQUENCE.
func pickOverrides(evs []*vevent, s *Series) []Override {
	best := map[int64]*vevent{}
	var order []int64
	for _, e := range evs {
		o := toOverride(e)
		k := s.overrideKey(&o).Unix()
		if cur, ok := best[k]; !ok {
			order = append(order, k)
			best[k] = e
		} else if newer(e, cur) {
			best[k] = e
		}
	}
	out := make([]Override, 0, len(order))
	for _, k := range order {
		out = append(out, toOverride(best[k]))
	}
	return out
}

func toOverride(e *vevent) Override {
	return Override{
		RecurrenceID:     e.recur.t,
		RecurrenceIDDate: e.recur.date,
		ThisAndFuture:    e.future,
		Start:            e.start.t,
		End:              e.start.t.Add(e.dur),
		Details:          e.details,
	}
}

// partialSeries is a series seen only through its overrides: an
// invitation to single occurrences of someone else's series.
func partialSeries(evs []*vevent) *Series {
	first := evs[0]
	for _, e := range evs[1:] {
		if e.start.t.Before(first.start.t) {
			first = e
		}
	}
	s := seriesFrom(first)
	s.Partial = true
	s.Rules, s.RDates, s.ExDates = nil, nil, nil
	s.Overrides = pickOverrides(evs, s)
	s.Problems = append(s.Problems, "only single occurrences of this series are in the calendar (no master event)")
	return s
}
