package graphtest

// A calendar view follows "List calendarView" / "calendarView delta": the
// single instances, occurrences and exceptions overlapping [start, end),
// and (in delta) the series masters that have an instance there. An
// occurrence deleted from a calendar is gone from its view; a cancelled one
// that is still in an attendee's calendar is an exception with isCancelled.

import (
	"sort"
	"time"
)

// entry is one event as a view shows it.
type entry struct {
	id            string
	kind          string // singleInstance, seriesMaster, occurrence, exception
	it            *item  // the stored item (the master for an occurrence)
	originalStart time.Time
	start, end    time.Time
}

// fingerprint changes whenever delta must send the entry again. Occurrences
// carry only their times, so only those count for them.
func (e entry) fingerprint() string {
	if e.kind == "occurrence" {
		return e.start.UTC().Format(time.RFC3339) + "/" + e.end.UTC().Format(time.RFC3339)
	}
	return e.it.changeKey
}

// view lists mb's events overlapping [from, to), masters included, in start
// order (a master sorts at its first instance in the window, before it).
func (s *Server) view(mb *mailbox, from, to time.Time) []entry {
	var out []entry
	for _, it := range mb.items {
		switch it.kind {
		case "singleInstance":
			if overlaps(it.start, it.end, from, to) {
				out = append(out, entry{id: it.id, kind: it.kind, it: it, start: it.start, end: it.end})
			}
		case "seriesMaster":
			out = append(out, s.seriesEntries(mb, it, from, to)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].start.Equal(out[j].start) {
			return out[i].start.Before(out[j].start)
		}
		return rank(out[i].kind) < rank(out[j].kind) || (rank(out[i].kind) == rank(out[j].kind) && out[i].id < out[j].id)
	})
	return out
}

func rank(kind string) int {
	if kind == "seriesMaster" {
		return 0
	}
	return 1
}

// seriesEntries lists a master's instances in the window and, when there
// are any, the master itself.
func (s *Server) seriesEntries(mb *mailbox, m *item, from, to time.Time) []entry {
	exc := exceptionsOf(mb, m.id)
	var out []entry
	dur := m.end.Sub(m.start)
	for _, os := range instanceStarts(m, from, to) {
		if m.removed[os.Unix()] || exc[os.Unix()] != nil {
			continue
		}
		out = append(out, entry{id: occurrenceID(m.id, os), kind: "occurrence", it: m,
			originalStart: os, start: os, end: os.Add(dur)})
	}
	for os, x := range exc { // a moved exception may lie far from its original start
		if !m.removed[os] && overlaps(x.start, x.end, from, to) {
			out = append(out, entry{id: x.id, kind: "exception", it: x, originalStart: x.originalStart, start: x.start, end: x.end})
		}
	}
	if len(out) == 0 {
		return nil
	}
	first := out[0].start
	for _, e := range out {
		if e.start.Before(first) {
			first = e.start
		}
	}
	return append([]entry{{id: m.id, kind: "seriesMaster", it: m, start: first, end: first}}, out...)
}

// exceptionsOf maps original start (unix) to the exceptions of a master.
func exceptionsOf(mb *mailbox, masterID string) map[int64]*item {
	out := map[int64]*item{}
	for _, it := range mb.items {
		if it.kind == "exception" && it.masterID == masterID {
			out[it.originalStart.Unix()] = it
		}
	}
	return out
}

func overlaps(s1, e1, s2, e2 time.Time) bool {
	if e1.Equal(s1) {
		return !s1.Before(s2) && s1.Before(e2)
	}
	return s1.Before(e2) && e1.After(s2)
}

// lookup finds an event of mb by id: a stored item, or an occurrence
// (computed from its master). Callers hold s.mu.
func (s *Server) lookup(mb *mailbox, id string) (entry, bool) {
	if it := mb.items[id]; it != nil {
		return entry{id: id, kind: it.kind, it: it, originalStart: it.originalStart, start: it.start, end: it.end}, true
	}
	masterID, os, ok := parseOccurrenceID(id)
	if !ok {
		return entry{}, false
	}
	m := mb.items[masterID]
	if m == nil || m.kind != "seriesMaster" || m.removed[os.Unix()] || !inPattern(m, os) {
		return entry{}, false
	}
	return entry{id: id, kind: "occurrence", it: m, originalStart: os, start: os, end: os.Add(m.end.Sub(m.start))}, true
}
