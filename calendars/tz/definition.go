package tz

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// maxOffset bounds TZOFFSETFROM/TZOFFSETTO: real offsets lie within ±15 h,
// so anything past a day is a broken definition, not a place.
const maxOffset = 26 * 3600

// zoneType is one TZif local time type.
type zoneType struct {
	offset int
	dst    bool
	abbr   string
}

// transition is an onset in UTC seconds; from is the offset it leaves and
// typ indexes the observance types. It holds no pointers, which keeps
// sorting a few hundred of them cheap.
type transition struct {
	when int64
	from int32
	typ  int32
}

// span summarizes which instants a definition describes, for the check
// against a tz database zone (see agrees).
type span struct {
	first, last int64 // first and last transition, UTC seconds
	open        bool  // some rule runs forever
	n           int   // number of transitions
	consistent  bool  // every transition leaves the offset the previous one set
}

// FromDefinition builds a *time.Location from a VTIMEZONE's observances.
func FromDefinition(def Definition) (*time.Location, error) {
	loc, _, err := build(def)
	return loc, err
}

func build(def Definition) (*time.Location, span, error) {
	name := strings.TrimSpace(def.TZID)
	if name == "" {
		name = "Custom"
	}
	if len(def.Observances) == 0 {
		return nil, span{}, fmt.Errorf("tz: %q: vtimezone has no observances", name)
	}
	types := make([]zoneType, len(def.Observances))
	for i, o := range def.Observances {
		types[i] = zoneType{offset: o.OffsetTo, dst: o.Daylight, abbr: abbrev(o.Name, o.OffsetTo)}
	}
	tx, open, err := collect(def.Observances)
	if err != nil {
		return nil, span{}, fmt.Errorf("tz: %q: %w", name, err)
	}
	initial, tx := compact(def.Observances, types, tx)
	blob, err := encodeTZif(initial, types, tx)
	if err != nil {
		return nil, span{}, fmt.Errorf("tz: %q: %w", name, err)
	}
	loc, err := time.LoadLocationFromTZData(name, blob)
	if err != nil {
		return nil, span{}, fmt.Errorf("tz: %q: encode: %w", name, err)
	}
	sp := span{open: open, n: len(tx), consistent: consistent(initial, types, tx)}
	if len(tx) > 0 {
		sp.first, sp.last = tx[0].when, tx[len(tx)-1].when
	}
	return loc, sp, nil
}

// collect turns every observance's DTSTART, RRULE and RDATEs into
// transitions. With an RRULE, DTSTART is only the lower bound: Outlook's
// 1601-01-01 DTSTART is not an onset, and an RFC-conforming DTSTART is the
// rule's first instance anyway.
func collect(obs []Observance) ([]transition, bool, error) {
	var tx []transition
	open := false
	for i, o := range obs {
		if abs(o.OffsetFrom) > maxOffset || abs(o.OffsetTo) > maxOffset {
			return nil, false, fmt.Errorf("observance %d: offset out of range", i+1)
		}
		add := func(wall time.Time) {
			tx = append(tx, transition{when: wall.Unix() - int64(o.OffsetFrom), from: int32(o.OffsetFrom), typ: int32(i)})
		}
		start := wallClock(o.Start)
		if o.RRule == "" {
			add(start)
		} else {
			r, err := parseRule(o.RRule)
			if err == nil {
				err = r.expand(start, o.OffsetFrom, add)
			}
			if err != nil {
				return nil, false, fmt.Errorf("observance %d: rrule %q: %w", i+1, o.RRule, err)
			}
			open = open || r.openEnded()
		}
		for _, rd := range o.RDates {
			add(wallClock(rd))
		}
	}
	return tx, open, nil
}

// compact sorts the onsets and keeps those that change the local time type.
// When two observances claim the same instant (duplicated blocks, or a
// STANDARD and a DAYLIGHT both starting 1601-01-01) the later one wins.
func compact(obs []Observance, types []zoneType, tx []transition) (zoneType, []transition) {
	if fixed, ok := singleType(obs); ok {
		return fixed, nil
	}
	if len(tx) == 0 {
		last := obs[0]
		for _, o := range obs[1:] {
			if !wallClock(o.Start).Before(wallClock(last.Start)) {
				last = o
			}
		}
		return zoneType{offset: last.OffsetTo, dst: last.Daylight, abbr: abbrev(last.Name, last.OffsetTo)}, nil
	}
	slices.SortStableFunc(tx, func(a, b transition) int { return cmp.Compare(a.when, b.when) })
	from := int(tx[0].from)
	initial := zoneType{offset: from, abbr: abbrev(standardName(obs, from), from)}
	out := tx[:0]
	cur := initial
	for i, t := range tx {
		if (i+1 < len(tx) && tx[i+1].when == t.when) || types[t.typ] == cur {
			continue
		}
		out = append(out, t)
		cur = types[t.typ]
	}
	return initial, out
}

// singleType reports whether all observances have the same offset: then
// the zone is a fixed offset, also before its first DTSTART. Outlook writes
// zones without daylight saving as a STANDARD and a DAYLIGHT block with equal
// offsets, both starting 1601-01-01; the STANDARD one names the zone.
func singleType(obs []Observance) (zoneType, bool) {
	pick := obs[0]
	for _, o := range obs {
		if o.OffsetTo != pick.OffsetTo {
			return zoneType{}, false
		}
		if pick.Daylight && !o.Daylight {
			pick = o
		}
	}
	return zoneType{offset: pick.OffsetTo, dst: pick.Daylight, abbr: abbrev(pick.Name, pick.OffsetTo)}, true
}

// standardName names the time before the first onset after the STANDARD
// observance with that offset, if there is one.
func standardName(obs []Observance, offset int) string {
	for _, o := range obs {
		if !o.Daylight && o.OffsetTo == offset {
			return o.Name
		}
	}
	return ""
}

// consistent reports whether each transition's TZOFFSETFROM is the offset
// the one before it set. A definition that fails this contradicts itself
// (khal's tz_windows_format.ics mixes CET offsets with New Zealand's).
func consistent(initial zoneType, types []zoneType, tx []transition) bool {
	cur := initial.offset
	for _, t := range tx {
		if int(t.from) != cur {
			return false
		}
		cur = types[t.typ].offset
	}
	return true
}

// wallClock drops whatever location a parser attached: the fields are a
// wall clock in the observance's OffsetFrom.
func wallClock(t time.Time) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

var errTooManyTypes = errors.New("too many distinct local time types")

// ParseOffset reads a TZOFFSETFROM/TZOFFSETTO value ("+0100", "-000115")
// into seconds east of UTC. It also takes what some writers emit instead:
// no sign (Apple iCal 1.5 writes "0200") and a colon ("+01:00").
func ParseOffset(s string) (int, error) {
	v := strings.ReplaceAll(strings.TrimSpace(s), ":", "")
	sign := 1
	switch {
	case strings.HasPrefix(v, "-"):
		sign, v = -1, v[1:]
	case strings.HasPrefix(v, "+"):
		v = v[1:]
	}
	if (len(v) != 4 && len(v) != 6) || !allDigits(v) {
		return 0, fmt.Errorf("tz: bad utc offset %q", s)
	}
	if len(v) == 4 {
		v += "00"
	}
	h := int(v[0]-'0')*10 + int(v[1]-'0')
	m := int(v[2]-'0')*10 + int(v[3]-'0')
	sec := int(v[4]-'0')*10 + int(v[5]-'0')
	if m > 59 || sec > 59 {
		return 0, fmt.Errorf("tz: bad utc offset %q", s)
	}
	return sign * (h*3600 + m*60 + sec), nil
}
