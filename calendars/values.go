package calendars

import (
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/ics"
	"github.com/oneonone/oneonone/calendars/tz"
)

// reader reads the components of one VCALENDAR: it knows the file's
// VTIMEZONEs and where its floating times happen.
type reader struct {
	file     string
	defs     map[string]*tz.Definition
	zones    map[string]zone
	floating *time.Location
	probs    []Problem
}

type zone struct {
	loc  *time.Location
	iana string
}

func newReader(file string, root *ics.Component, opt ReadOptions) *reader {
	r := &reader{file: file, defs: map[string]*tz.Definition{}, zones: map[string]zone{}, floating: time.UTC}
	if opt.DefaultZone != nil {
		r.floating = opt.DefaultZone
	}
	for _, c := range root.Children {
		if c.Name == "VTIMEZONE" {
			if d := r.definition(c); d != nil {
				r.defs[d.TZID] = d
			}
		}
	}
	if p := root.Prop("X-WR-TIMEZONE"); p != nil {
		if z, err := r.zone(ics.Text(p.Value), p.Line); err == nil {
			r.floating = z.loc
		}
	}
	return r
}

func (r *reader) problem(line int, uid, format string, args ...any) {
	r.probs = append(r.probs, Problem{File: r.file, Line: line, UID: uid, Message: fmt.Sprintf(format, args...)})
}

// overLimit reports input that went over one of the limits in limits.go.
func (r *reader) overLimit(line int, uid, format string, args ...any) {
	r.problem(line, uid, format, args...)
	r.probs[len(r.probs)-1].Limit = true
}

// zone resolves a TZID, once per file.
func (r *reader) zone(tzid string, line int) (zone, error) {
	if z, ok := r.zones[tzid]; ok {
		return z, nil
	}
	if len(tzid) > maxTZIDBytes {
		// Not resolved: the resolver caches by name, and a name this long
		// is no zone's.
		return zone{}, fmt.Errorf("TZID of %s is over the limit of %d bytes", size(len(tzid)), maxTZIDBytes)
	}
	loc, iana, err := tz.Resolve(tzid, r.defs[tzid])
	if err != nil {
		return zone{}, err
	}
	z := zone{loc: loc, iana: iana}
	r.zones[tzid] = z
	return z, nil
}

func (r *reader) definition(c *ics.Component) *tz.Definition {
	p := c.Prop("TZID")
	if p == nil {
		r.problem(c.Line, "", "VTIMEZONE without TZID; ignored")
		return nil
	}
	if len(p.Value) > maxTZIDBytes {
		r.overLimit(p.Line, "", "VTIMEZONE TZID of %s is over the limit of %d bytes; ignored", size(len(p.Value)), maxTZIDBytes)
		return nil
	}
	d := &tz.Definition{TZID: p.Value}
	onsets := 0
	for _, o := range c.Children {
		if o.Name != "STANDARD" && o.Name != "DAYLIGHT" {
			continue
		}
		obs, err := observance(o)
		if err != nil {
			r.problem(o.Line, "", "VTIMEZONE %s: %v", p.Value, err)
			continue
		}
		if onsets += 1 + len(obs.RDates); onsets > maxOnsets {
			// The zone is built (and cached) from every onset.
			r.overLimit(o.Line, "", "VTIMEZONE %s has more than %d onsets (observances and RDATEs); the rest are ignored", p.Value, maxOnsets)
			break
		}
		d.Observances = append(d.Observances, obs)
	}
	return d
}

func observance(c *ics.Component) (tz.Observance, error) {
	o := tz.Observance{Daylight: c.Name == "DAYLIGHT"}
	var err error
	if p := c.Prop("DTSTART"); p != nil {
		if o.Start, err = parseLocal(p.Value, time.UTC); err != nil {
			return o, err
		}
	}
	if o.OffsetTo, err = utcOffset(c.Prop("TZOFFSETTO")); err != nil {
		return o, err
	}
	// Old Apple iCal writes no TZOFFSETFROM; the offset it changes from
	// then only matters for the instant of the change.
	o.OffsetFrom = o.OffsetTo
	if p := c.Prop("TZOFFSETFROM"); p != nil {
		if o.OffsetFrom, err = utcOffset(p); err != nil {
			return o, err
		}
	}
	if p := c.Prop("TZNAME"); p != nil {
		o.Name = ics.Text(p.Value)
	}
	if p := c.Prop("RRULE"); p != nil {
		o.RRule = p.Value
	}
	for _, p := range c.All("RDATE") {
		for _, v := range ics.SplitList(p.Value) {
			if t, err := parseLocal(v, time.UTC); err == nil {
				o.RDates = append(o.RDates, t)
			}
		}
	}
	return o, nil
}

// utcOffset reads TZOFFSETFROM/TZOFFSETTO ("+0100", "-0500", "+013045",
// and the unsigned "0200" old Apple iCal writes).
func utcOffset(p *ics.Prop) (int, error) {
	if p == nil {
		return 0, fmt.Errorf("observance without TZOFFSETTO")
	}
	off, err := tz.ParseOffset(p.Value)
	if err != nil {
		return 0, fmt.Errorf("line %d: UTC offset %q is not ±hhmm", p.Line, strings.TrimSpace(p.Value))
	}
	return off, nil
}

// parseLocal reads a DATE or a DATE-TIME without zone as wall clock in loc
// (a trailing Z means UTC).
func parseLocal(v string, loc *time.Location) (time.Time, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	switch {
	case len(v) == 8:
		return time.ParseInLocation("20060102", v, loc)
	case len(v) == 9 && v[8] == 'Z': // a date with a stray Z (Google birthdays)
		return time.ParseInLocation("20060102", v[:8], loc)
	case strings.HasSuffix(v, "Z"):
		return time.Parse("20060102T150405Z", v)
	default:
		return time.ParseInLocation("20060102T150405", v, loc)
	}
}

// value is a DATE or DATE-TIME read from a property.
type value struct {
	t        time.Time
	date     bool
	floating bool
	zone     zone
}

// when reads one value of p. Floating values happen in floating; a TZID
// that cannot be resolved is reported and read as floating.
func (r *reader) when(p *ics.Prop, v, uid string, floating zone) (value, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	isDate := strings.EqualFold(p.Param("VALUE"), "DATE") || len(v) == 8 || (len(v) == 9 && v[8] == 'Z')
	if isDate {
		t, err := parseLocal(v, time.UTC)
		if err != nil {
			return value{}, fmt.Errorf("%s %q is not a date (YYYYMMDD)", p.Name, clipped(v))
		}
		return value{t: t, date: true}, nil
	}
	if strings.HasSuffix(v, "Z") {
		t, err := time.Parse("20060102T150405Z", v)
		if err != nil {
			return value{}, fmt.Errorf("%s %q is not a date-time (YYYYMMDDTHHMMSSZ)", p.Name, clipped(v))
		}
		return value{t: t, zone: zone{loc: time.UTC, iana: "UTC"}}, nil
	}
	z, floats := floating, true
	if tzid := p.Param("TZID"); tzid != "" {
		zz, err := r.zone(tzid, p.Line)
		if err != nil && len(tzid) > maxTZIDBytes {
			r.overLimit(p.Line, uid, "%s: %v; read as %s", p.Name, err, floating.loc)
		} else if err != nil {
			r.problem(p.Line, uid, "%s: time zone %q is unknown and the file has no VTIMEZONE for it; read as %s", p.Name, clipped(tzid), floating.loc)
		} else {
			z, floats = zz, false
		}
	}
	t, err := time.Parse("20060102T150405", v)
	if err != nil {
		return value{}, fmt.Errorf("%s %q is not a date-time (YYYYMMDDTHHMMSS)", p.Name, clipped(v))
	}
	t = wall(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), z.loc)
	return value{t: t, floating: floats, zone: z}, nil
}
