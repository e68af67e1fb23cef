package calendars

import "time"

// buildSeries combines the components that share a UID: the master with
// the highest SEQUENCE (then the latest DTSTAMP, then the last one read),
// and per RECURRENCE-ID the override with the highest SEQUENCE.
func buildSeries(evs []*vevent) (*Series, []Problem) {
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
		return partialSeries(overrides)
	}
	s := seriesFrom(master)
	s.Overrides = pickOverrides(overrides, s)
	// The series' version is the highest SEQUENCE of any of its parts;
	// every occurrence carries it (as other expanders report it).
	for _, e := range evs {
		s.Sequence = max(s.Sequence, e.details.Sequence)
	}
	return s, nil
}

func newer(a, b *vevent) bool {
	if a.details.Sequence != b.details.Sequence {
		return a.details.Sequence > b.details.Sequence
	}
	return !a.stamp.Before(b.stamp)
}

func seriesFrom(m *vevent) *Series {
	s := &Series{
		UID:           m.uid,
		Location:      m.start.zone.loc,
		TimeZone:      m.start.zone.iana,
		AllDay:        m.start.date,
		Floating:      m.start.floating,
		Start:         m.start.t,
		Duration:      m.dur,
		Rules:         m.rules,
		RDates:        m.rdates,
		ExDates:       m.exdates,
		Details:       m.details,
		MoreAttendees: m.moreAttendees,
		file:          m.file,
		line:          m.line,
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
// invitation to single occurrences of someone else's series. Each
// component is its own occurrence, as RFC 5545 and libical read it, even
// one that carries an RRULE: a RECURRENCE-ID names one instance, and
// promoting one of them to the series would drop or move the others.
func partialSeries(evs []*vevent) (*Series, []Problem) {
	var probs []Problem
	first := evs[0]
	for _, e := range evs {
		if e.start.t.Before(first.start.t) {
			first = e
		}
		if len(e.rules) > 0 {
			probs = append(probs, Problem{File: e.file, Line: e.line, UID: e.uid,
				Message: "a RECURRENCE-ID component with an RRULE and no master event; read as the one occurrence it names"})
		}
	}
	s := seriesFrom(first)
	s.Partial = true
	s.Rules, s.RDates, s.ExDates = nil, nil, nil
	s.Overrides = pickOverrides(evs, s)
	s.Problems = append(s.Problems, "only single occurrences of this series are in the calendar (no master event)")
	return s, probs
}
