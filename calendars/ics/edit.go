package ics

import (
	"slices"
	"strings"
	"time"
)

// These helpers edit a parsed resource in place for the write path: a
// change touches only what it names, so that re-encoding the rest gives
// back every component, property, parameter and value as it was read.

// Clone returns a deep copy of c.
func (c *Component) Clone() *Component {
	out := &Component{Name: c.Name, Line: c.Line}
	for _, p := range c.Props {
		out.Props = append(out.Props, p.Clone())
	}
	for _, ch := range c.Children {
		out.Children = append(out.Children, ch.Clone())
	}
	return out
}

// Clone returns a copy of p that shares nothing with it.
func (p *Prop) Clone() *Prop {
	q := *p
	if p.Params != nil {
		q.Params = make(map[string][]string, len(p.Params))
		for k, v := range p.Params {
			q.Params[k] = slices.Clone(v)
		}
	}
	return &q
}

// Set puts p in the place of the first property of its name and removes
// any others of that name; without one, p is appended.
func (c *Component) Set(p *Prop) {
	out := c.Props[:0]
	placed := false
	for _, q := range c.Props {
		if q.Name != p.Name {
			out = append(out, q)
		} else if !placed {
			out = append(out, p)
			placed = true
		}
	}
	c.Props = out
	if !placed {
		c.Props = append(c.Props, p)
	}
}

// Remove drops every property with one of the names.
func (c *Component) Remove(names ...string) {
	c.Props = slices.DeleteFunc(c.Props, func(p *Prop) bool { return slices.Contains(names, p.Name) })
}

// SetText sets a TEXT property to text (escaping it), keeping the
// parameters and the place of the property when it is already there.
func (c *Component) SetText(name, text string) {
	if p := c.Prop(name); p != nil {
		q := p.Clone()
		q.Value = EscapeText(text)
		c.Set(q)
		return
	}
	c.Props = append(c.Props, &Prop{Name: name, Value: EscapeText(text)})
}

// InsertAfter inserts child into c's children right after sibling, or
// at the end when sibling is not one of them.
func (c *Component) InsertAfter(sibling, child *Component) {
	i := slices.Index(c.Children, sibling)
	if i < 0 {
		c.Children = append(c.Children, child)
		return
	}
	c.Children = slices.Insert(c.Children, i+1, child)
}

// Event is a VEVENT together with the component that holds it (nil for a
// bare top-level VEVENT).
type Event struct {
	Parent *Component
	*Component
}

// Events returns the VEVENTs whose UID is uid, in file order, from inside
// the VCALENDARs of roots or bare at the top.
func Events(roots []*Component, uid string) []Event {
	var out []Event
	match := func(c *Component) bool {
		p := c.Prop("UID")
		return c.Name == "VEVENT" && p != nil && strings.TrimSpace(p.Value) == uid
	}
	for _, r := range roots {
		if match(r) {
			out = append(out, Event{Component: r})
			continue
		}
		for _, c := range r.Children {
			if match(c) {
				out = append(out, Event{Parent: r, Component: c})
			}
		}
	}
	return out
}

// recurrence is what an override of one occurrence does not take from
// its master (RFC 5545 3.8.5); its times are replaced (3.8.4.4).
var recurrence = []string{"RRULE", "RDATE", "EXDATE", "EXRULE"}

// NewOverride returns a copy of master made into the override of one
// occurrence: without its recurrence rules and dates, with the given
// RECURRENCE-ID, DTSTART and DTEND in place of its own times. Everything
// else (SEQUENCE, DTSTAMP, attendees, alarms, X- properties) is copied.
func NewOverride(master *Component, recurrenceID, start, end *Prop) *Component {
	o := master.Clone()
	o.Remove(recurrence...)
	// DTSTART and DTEND take the master's places; RECURRENCE-ID goes
	// right after DTSTART, where producers usually write it.
	out := make([]*Prop, 0, len(o.Props)+3)
	for _, p := range o.Props {
		switch p.Name {
		case "DTSTART":
			out = append(out, start, recurrenceID)
			start, recurrenceID = nil, nil
		case "DTEND", "DURATION":
			if end != nil {
				out = append(out, end)
				end = nil
			}
		case "RECURRENCE-ID":
		default:
			out = append(out, p)
		}
	}
	for _, p := range []*Prop{start, recurrenceID, end} {
		if p != nil {
			out = append(out, p)
		}
	}
	o.Props = out
	return o
}

// DateTimeLike returns a property named name holding t in the form of
// like: a DATE (VALUE=DATE) when like is one, UTC when like is, with
// like's TZID when it has one (t must then be in that zone), else a
// floating wall-clock time. Other parameters of like are not copied.
func DateTimeLike(name string, t time.Time, like *Prop) *Prop {
	v := strings.ToUpper(strings.TrimSpace(like.Value))
	p := &Prop{Name: name}
	switch {
	case strings.EqualFold(like.Param("VALUE"), "DATE") || len(v) == 8:
		p.Params = map[string][]string{"VALUE": {"DATE"}}
		p.Value = t.Format("20060102")
	case strings.HasSuffix(v, "Z"):
		p.Value = t.UTC().Format("20060102T150405Z")
	case like.Param("TZID") != "":
		p.Params = map[string][]string{"TZID": {like.Param("TZID")}}
		p.Value = t.Format("20060102T150405")
	default:
		p.Value = t.Format("20060102T150405")
	}
	return p
}
