// Package tz turns the TZIDs that real calendar software writes into
// *time.Location values: IANA names (bare, quoted or behind vendor prefixes),
// Windows zone ids, Windows display names, and custom VTIMEZONE definitions
// such as Outlook's "Customized Time Zone".
package tz

import (
	"fmt"
	"time"

	// Calendars name zones the host may not have installed.
	_ "time/tzdata"
)

// Observance is one STANDARD or DAYLIGHT block of a VTIMEZONE.
type Observance struct {
	Daylight   bool
	Start      time.Time   // DTSTART wall clock, carried in time.UTC (it is local time in OffsetFrom)
	OffsetFrom int         // seconds east of UTC (TZOFFSETFROM)
	OffsetTo   int         // seconds east of UTC (TZOFFSETTO)
	Name       string      // TZNAME, may be ""
	RRule      string      // the raw RRULE value (e.g. "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"), "" if none
	RDates     []time.Time // wall clock in time.UTC
}

// Definition is a VTIMEZONE.
type Definition struct {
	TZID        string
	Observances []Observance
}

// Resolve returns the location a TZID names and its IANA name. The name is ""
// when the location is not a tz database zone: built from def, or a fixed
// offset read from a name like "UTC+01". def may be nil.
//
// In order, Resolve tries: an IANA name or alias, also behind vendor prefixes
// ("/mozilla.org/20050126_1/Europe/Berlin"), quotes, escapes and trailing
// junk; a Windows zone id; a Windows display name, by table and then by the
// cities it lists; def; an offset-style name. A match found by any means but
// the IANA name itself is checked against def when def is given: a
// customized zone that reuses a standard name gets its own rules.
//
// Results are cached per TZID and definition; Resolve is safe for concurrent
// use.
func Resolve(tzid string, def *Definition) (loc *time.Location, iana string, err error) {
	key := cacheKey{tzid: tzid}
	if def != nil {
		key.def, key.fp = true, fingerprint(def)
	}
	if r, ok := cache.get(key); ok {
		return r.loc, r.iana, r.err
	}
	r := resolve(tzid, def)
	cache.put(key, r)
	return r.loc, r.iana, r.err
}

type result struct {
	loc  *time.Location
	iana string
	err  error
}

func resolve(tzid string, def *Definition) result {
	name := cleanName(tzid)
	if loc, iana, ok := lookupIANA(name); ok {
		return result{loc: loc, iana: iana}
	}
	if iana, ok := guessIANA(name); ok {
		return checked(iana, def)
	}
	var defErr error
	if def != nil {
		loc, err := FromDefinition(*def)
		if err == nil {
			return result{loc: loc}
		}
		defErr = err
	}
	off, ok := parseOffsetName(name)
	if !ok {
		off, ok, _ = splitDisplay(name)
	}
	if ok {
		return result{loc: time.FixedZone(offsetAbbr(off), off)}
	}
	if defErr != nil {
		return result{err: defErr}
	}
	return result{err: fmt.Errorf("tz: unknown time zone %q", tzid)}
}

// guessIANA runs the lookups that infer an IANA zone from a name that is not
// one, most certain first.
func guessIANA(name string) (string, bool) {
	for _, lookup := range []func(string) (string, bool){lookupWindows, lookupMangled, lookupDisplay, lookupCity} {
		if iana, ok := lookup(name); ok {
			return iana, true
		}
	}
	return "", false
}

// checked loads a guessed zone and prefers def when the two disagree.
func checked(iana string, def *Definition) result {
	loc, ok := loadIANA(iana)
	if !ok {
		return result{err: fmt.Errorf("tz: zone %q is missing from the tz database", iana)}
	}
	if def == nil {
		return result{loc: loc, iana: iana}
	}
	own, sp, err := build(*def)
	if err != nil || !sp.consistent || agrees(loc, own, sp) {
		// A definition we cannot read, or that contradicts itself, is no
		// reason to doubt the name.
		return result{loc: loc, iana: iana}
	}
	return result{loc: own}
}
