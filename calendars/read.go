package calendars

import (
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars/ics"
)

// File is one iCalendar file, or one CalDAV resource.
type File struct {
	Name string
	Data []byte
}

// Problem is something wrong in the input, located as precisely as known.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	UID     string `json:"uid,omitempty"`
	Message string `json:"message"`
	// Limit is set when the input went over one of the limits that bound
	// what one calendar object may cost (see MaxObjectBytes).
	Limit bool `json:"-"`
}

func (p Problem) String() string {
	s := p.File
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
	}
	if p.UID != "" {
		s += " (UID " + p.UID + ")"
	}
	return s + ": " + p.Message
}

// ReadOptions tune how files are read.
type ReadOptions struct {
	// DefaultZone is where floating times happen when a file does not say
	// (X-WR-TIMEZONE). Nil means UTC.
	DefaultZone *time.Location
}

// ReadICS reads files as parts of one calendar: components with the same
// UID, in whichever file, form one series. It returns every series it
// could read, in the order their UIDs were first seen, and every problem;
// a problem in one file or series never hides the others.
func ReadICS(files []File, opt ReadOptions) ([]*Series, []Problem) {
	var events []*vevent
	var probs []Problem
	for _, f := range files {
		evs, ps := readFile(f, opt)
		events = append(events, evs...)
		probs = append(probs, ps...)
	}
	var order []string
	groups := map[string][]*vevent{}
	for _, e := range events {
		if _, ok := groups[e.uid]; !ok {
			order = append(order, e.uid)
		}
		groups[e.uid] = append(groups[e.uid], e)
	}
	series := make([]*Series, 0, len(order))
	for _, uid := range order {
		s, ps := buildSeries(groups[uid])
		probs = append(probs, ps...)
		if s != nil {
			series = append(series, s)
		}
	}
	return series, probs
}

func readFile(f File, opt ReadOptions) ([]*vevent, []Problem) {
	roots, lexProbs := ics.Parse(f.Data)
	var probs []Problem
	for _, p := range lexProbs {
		probs = append(probs, Problem{File: f.Name, Line: p.Line, Message: p.Msg, Limit: p.Limit})
	}
	if len(roots) == 0 {
		probs = append(probs, Problem{File: f.Name, Message: "no BEGIN:VCALENDAR or BEGIN:VEVENT found: not an iCalendar file"})
		return nil, probs
	}
	var events []*vevent
	for _, root := range roots {
		r := newReader(f.Name, root, opt)
		for _, c := range eventComponents(root) {
			if r.tooBig(c) {
				continue
			}
			if e := r.event(c); e != nil {
				events = append(events, e)
			}
		}
		probs = append(probs, r.probs...)
	}
	return events, probs
}

// eventComponents returns the VEVENTs of a VCALENDAR, or the component
// itself when a producer sent a bare VEVENT.
func eventComponents(root *ics.Component) []*ics.Component {
	if root.Name == "VEVENT" {
		return []*ics.Component{root}
	}
	var out []*ics.Component
	for _, c := range root.Children {
		if c.Name == "VEVENT" {
			out = append(out, c)
		}
	}
	return out
}
