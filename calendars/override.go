package calendars

import (
	"sort"
	"time"
)

type overrideIndex struct {
	byKey  map[int64]*Override // single-occurrence overrides by key
	byDate map[int64]*Override // overrides whose RECURRENCE-ID is a DATE, by that date
	future []*Override         // RANGE=THISANDFUTURE, sorted by RecurrenceID
}

func (s *Series) overrideIndex() overrideIndex {
	ix := overrideIndex{}
	if len(s.Overrides) == 0 {
		return ix
	}
	ix.byKey = make(map[int64]*Override, len(s.Overrides))
	for i := range s.Overrides {
		o := &s.Overrides[i]
		switch {
		case o.ThisAndFuture:
			ix.future = append(ix.future, o)
		case o.RecurrenceIDDate && !s.AllDay:
			if ix.byDate == nil {
				ix.byDate = make(map[int64]*Override)
			}
			ix.byDate[dateKey(o.RecurrenceID).Unix()] = o
		default:
			ix.byKey[s.overrideKey(o).Unix()] = o
		}
	}
	sort.Slice(ix.future, func(i, j int) bool { return ix.future[i].RecurrenceID.Before(ix.future[j].RecurrenceID) })
	return ix
}

// key turns an instance start into its occurrence key: the UTC instant,
// or for all-day series the date at midnight UTC.
func (s *Series) key(t time.Time) time.Time {
	if s.AllDay {
		return dateKey(t)
	}
	return t.UTC()
}

func (s *Series) overrideKey(o *Override) time.Time {
	if s.AllDay || o.RecurrenceIDDate {
		return dateKey(o.RecurrenceID)
	}
	return o.RecurrenceID.UTC()
}

// dateKey is the local date of t, as midnight UTC.
func dateKey(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (s *Series) base(k time.Time) Occurrence {
	o := Occurrence{Key: s.key(k), Start: k, End: k.Add(s.Duration), AllDay: s.AllDay, Details: s.Details}
	if o.Status == "" {
		o.Status = StatusConfirmed
	}
	return o
}

func (s *Series) occurrence(k time.Time, ix overrideIndex) Occurrence {
	o := s.base(k)
	if x := ix.byKey[o.Key.Unix()]; x != nil {
		return s.applyOverride(o, x, x.Start, x.End)
	}
	if x := ix.byDate[dateKey(k).Unix()]; x != nil {
		return s.applyOverride(o, x, x.Start, x.End)
	}
	// The latest THISANDFUTURE override at or before this instance moves
	// it by the same amount and gives it the same details (found by a
	// binary search: an event may carry thousands).
	if i := sort.Search(len(ix.future), func(i int) bool { return ix.future[i].RecurrenceID.After(k) }) - 1; i >= 0 {
		x := ix.future[i]
		delta := x.Start.Sub(x.RecurrenceID)
		start := k.Add(delta)
		end := start.Add(x.End.Sub(x.Start))
		return s.applyOverride(o, x, start, end)
	}
	return o
}

func (s *Series) fromOverride(k time.Time, x *Override) Occurrence {
	o := s.base(k)
	o.Key = k
	return s.applyOverride(o, x, x.Start, x.End)
}

func (s *Series) applyOverride(o Occurrence, x *Override, start, end time.Time) Occurrence {
	orig := o.Start
	if end.IsZero() || end.Before(start) {
		end = start.Add(s.Duration)
	}
	o.Start, o.End = start, end
	o.Moved = !start.Equal(orig)
	o.Overridden = true
	o.Details = mergeDetails(o.Details, x.Details)
	return o
}

// mergeDetails lays an override's details over the series'. An override
// is a full replacement in RFC 5545, but producers often leave out what
// did not change (the title, the attendee list), so gaps are filled.
func mergeDetails(base, x Details) Details {
	out := x
	out.Sequence = max(base.Sequence, x.Sequence)
	if out.Summary == "" {
		out.Summary = base.Summary
	}
	if out.Location == "" {
		out.Location = base.Location
	}
	if out.Organizer.Email == "" {
		out.Organizer = base.Organizer
	}
	if len(out.Attendees) == 0 {
		out.Attendees = base.Attendees
	}
	if out.Status == "" {
		out.Status = base.Status
	}
	if out.Status == "" {
		out.Status = StatusConfirmed
	}
	return out
}
