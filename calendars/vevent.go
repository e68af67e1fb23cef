package calendars

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/ics"
)

// vevent is one VEVENT, read but not yet combined with the other
// components of its UID.
type vevent struct {
	file, uid string
	line      int
	hasRecur  bool
	recur     value
	future    bool // RANGE=THISANDFUTURE
	start     value
	dur       time.Duration
	rules     []Rule
	rdates    []Period
	exdates   []ExDate
	details   Details
	stamp     time.Time
	problems  []string
	// moreAttendees counts the attendees beyond MaxAttendees, not read.
	moreAttendees int
}

func (r *reader) event(c *ics.Component) *vevent {
	e := &vevent{file: r.file, line: c.Line}
	if p := c.Prop("UID"); p != nil && len(p.Value) > MaxTextBytes {
		// A UID is an identity: it cannot be cut, so the event is not read.
		r.overLimit(p.Line, clipped(p.Value), "UID is %s, over the limit of %s; event skipped", size(len(p.Value)), size(MaxTextBytes))
		return nil
	} else if p != nil && strings.TrimSpace(p.Value) != "" {
		e.uid = strings.TrimSpace(p.Value)
	} else {
		e.uid = fmt.Sprintf("%s#%d", r.file, c.Line)
		r.problem(c.Line, "", "VEVENT without UID; named %q here", e.uid)
	}
	p := c.Prop("DTSTART")
	if p == nil {
		r.problem(c.Line, e.uid, "VEVENT without DTSTART; skipped")
		return nil
	}
	var err error
	if e.start, err = r.when(p, p.Value, e.uid, zone{loc: r.floating}); err != nil {
		r.problem(p.Line, e.uid, "%v; event skipped", err)
		return nil
	}
	local := r.localZone(e.start)
	r.readRecurrenceID(c, e, local)
	r.readDuration(c, e, local)
	r.readRules(c, e, local)
	e.details, e.moreAttendees = r.details(c, e.uid)
	if p := c.Prop("DTSTAMP"); p != nil {
		e.stamp, _ = parseLocal(p.Value, time.UTC)
	}
	if p := c.Prop("LAST-MODIFIED"); p != nil {
		if t, err := parseLocal(p.Value, time.UTC); err == nil && t.After(e.stamp) {
			e.stamp = t
		}
	}
	return e
}

// localZone is where floating EXDATEs, RDATEs and RECURRENCE-IDs of an
// event happen: its own DTSTART zone (producers omit the TZID there).
func (r *reader) localZone(start value) zone {
	if start.date || start.floating {
		return zone{loc: r.floating}
	}
	return start.zone
}

func (r *reader) readRecurrenceID(c *ics.Component, e *vevent, local zone) {
	p := c.Prop("RECURRENCE-ID")
	if p == nil {
		return
	}
	v, err := r.when(p, p.Value, e.uid, local)
	if err != nil {
		r.problem(p.Line, e.uid, "%v; read as a separate event", err)
		return
	}
	e.hasRecur, e.recur = true, v
	e.future = strings.EqualFold(p.Param("RANGE"), "THISANDFUTURE")
}

func (r *reader) readDuration(c *ics.Component, e *vevent, local zone) {
	def := time.Duration(0)
	if e.start.date {
		def = 24 * time.Hour
	}
	e.dur = def
	if p := c.Prop("DTEND"); p != nil {
		end, err := r.when(p, p.Value, e.uid, local)
		switch {
		case err != nil:
			r.problem(p.Line, e.uid, "%v; duration taken as %s", err, def)
		case end.t.Before(e.start.t):
			r.problem(p.Line, e.uid, "DTEND is before DTSTART; duration taken as %s", def)
		default:
			e.dur = end.t.Sub(e.start.t)
			if e.start.date && !end.date {
				e.dur = dateKey(end.t).Sub(e.start.t)
			}
		}
		return
	}
	if p := c.Prop("DURATION"); p != nil {
		d, err := parseDuration(p.Value)
		if err != nil || d < 0 {
			r.problem(p.Line, e.uid, "DURATION %q is not a positive duration like PT1H; duration taken as %s", clipped(p.Value), def)
			return
		}
		e.dur = d
	}
}

func (r *reader) readRules(c *ics.Component, e *vevent, local zone) {
	rules := c.All("RRULE")
	if len(rules) > MaxRules {
		r.overLimit(rules[MaxRules].Line, e.uid, "%d RRULEs, over the limit of %d; the rest are ignored", len(rules), MaxRules)
		rules = rules[:MaxRules]
	}
	for _, p := range rules {
		rule, warns, err := ParseRule(p.Value)
		for _, w := range warns {
			r.problem(p.Line, e.uid, "%s", w)
		}
		if err != nil {
			r.problem(p.Line, e.uid, "%v; rule ignored", err)
			continue
		}
		if u := rule.opt.Until; !u.IsZero() && !rule.untilFloating && !rule.untilDate && u.Before(e.start.t) {
			r.problem(p.Line, e.uid, "RRULE UNTIL %s is before DTSTART; only DTSTART occurs", u.Format(time.RFC3339))
		}
		e.rules = append(e.rules, rule)
	}
	for _, p := range c.All("RDATE") {
		r.readRDate(p, e, local)
	}
	for _, p := range c.All("EXDATE") {
		for _, v := range ics.SplitList(p.Value) {
			x, err := r.when(p, v, e.uid, local)
			if err != nil {
				r.problem(p.Line, e.uid, "%v; ignored", err)
				continue
			}
			e.exdates = append(e.exdates, ExDate{T: x.t, Date: x.date})
		}
	}
}

func (r *reader) readRDate(p *ics.Prop, e *vevent, local zone) {
	for _, v := range ics.SplitList(p.Value) {
		startText, endText, isPeriod := strings.Cut(v, "/")
		s, err := r.when(p, startText, e.uid, local)
		if err != nil {
			r.problem(p.Line, e.uid, "%v; ignored", err)
			continue
		}
		per := Period{Start: s.t}
		if isPeriod {
			if strings.HasPrefix(strings.ToUpper(endText), "P") {
				d, err := parseDuration(endText)
				if err == nil {
					per.End = s.t.Add(d)
				}
			} else if end, err := r.when(p, endText, e.uid, local); err == nil {
				per.End = end.t
			}
		}
		e.rdates = append(e.rdates, per)
	}
}

func (r *reader) details(c *ics.Component, uid string) (Details, int) {
	var d Details
	more := 0
	d.Summary = r.text(c, "SUMMARY", uid, MaxTextBytes)
	d.Description = r.text(c, "DESCRIPTION", uid, MaxDescriptionBytes)
	d.Location = r.text(c, "LOCATION", uid, MaxTextBytes)
	if p := c.Prop("STATUS"); p != nil {
		d.Status = parseStatus(p.Value)
	}
	if p := c.Prop("SEQUENCE"); p != nil {
		n, err := strconv.Atoi(strings.TrimSpace(p.Value))
		if err != nil {
			r.problem(p.Line, uid, "SEQUENCE %q is not a number; read as 0", clipped(p.Value))
		}
		d.Sequence = n
	}
	if p := c.Prop("ORGANIZER"); p != nil {
		d.Organizer = r.person(p, uid)
	}
	for _, p := range c.All("ATTENDEE") {
		if len(d.Attendees) == MaxAttendees {
			more++
			continue
		}
		d.Attendees = append(d.Attendees, attendee(r.person(p, uid), p))
	}
	if more > 0 {
		r.overLimit(c.Line, uid, "%d attendees, over the limit of %d; the first %d are read, the event is not a 1:1",
			len(d.Attendees)+more, MaxAttendees, MaxAttendees)
	}
	return d, more
}

func parseStatus(v string) Status {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "CANCELLED", "CANCELED":
		return StatusCancelled
	case "TENTATIVE":
		return StatusTentative
	default:
		return StatusConfirmed
	}
}

func (r *reader) person(p *ics.Prop, uid string) Person {
	email := p.Param("EMAIL")
	if email == "" {
		email = p.Value
	}
	name, cut := clipText(strings.TrimSpace(p.Param("CN")), MaxTextBytes)
	if cut {
		r.overLimit(p.Line, uid, "%s name (CN) is over the limit of %s; the rest is not read", p.Name, size(MaxTextBytes))
	}
	addr, cut := clipText(NormalizeEmail(email), MaxTextBytes)
	if cut {
		r.overLimit(p.Line, uid, "%s address is over the limit of %s; the rest is not read", p.Name, size(MaxTextBytes))
	}
	return Person{Email: addr, Name: name}
}

func attendee(who Person, p *ics.Prop) Attendee {
	a := Attendee{Person: who, Kind: KindIndividual, PartStat: PartNeedsAction, Role: "req-participant"}
	switch strings.ToUpper(p.Param("CUTYPE")) {
	case "GROUP":
		a.Kind = KindGroup
	case "ROOM":
		a.Kind = KindRoom
	case "RESOURCE":
		a.Kind = KindResource
	case "UNKNOWN":
		a.Kind = KindUnknown
	}
	if ps := p.Param("PARTSTAT"); ps != "" {
		a.PartStat = PartStat(strings.ToLower(ps))
	}
	if role := p.Param("ROLE"); role != "" {
		a.Role = strings.ToLower(role)
	}
	return a
}

// parseDuration reads an RFC 5545 DURATION (P1W, PT1H30M, -P1D, P1DT2H).
func parseDuration(v string) (time.Duration, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, fmt.Errorf("duration %q", v)
	}
	var d time.Duration
	inTime := false
	num := ""
	for _, c := range s[1:] {
		switch {
		case c >= '0' && c <= '9':
			num += string(c)
		case c == 'T':
			inTime = true
		default:
			n, err := strconv.Atoi(num)
			if err != nil {
				return 0, fmt.Errorf("duration %q", v)
			}
			unit, ok := durationUnit(c, inTime)
			if !ok {
				return 0, fmt.Errorf("duration %q", v)
			}
			d += time.Duration(n) * unit
			num = ""
		}
	}
	if num != "" {
		return 0, fmt.Errorf("duration %q", v)
	}
	if neg {
		d = -d
	}
	return d, nil
}

func durationUnit(c rune, inTime bool) (time.Duration, bool) {
	switch {
	case c == 'W' && !inTime:
		return 7 * 24 * time.Hour, true
	case c == 'D' && !inTime:
		return 24 * time.Hour, true
	case c == 'H' && inTime:
		return time.Hour, true
	case c == 'M' && inTime:
		return time.Minute, true
	case c == 'S' && inTime:
		return time.Second, true
	}
	return 0, false
}
