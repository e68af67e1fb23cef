package calendars

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/ics"
)

// Writing the block into one occurrence of a CalDAV resource.

var (
	// ErrNotEditable: the resource cannot be rewritten without risk of
	// losing what it holds (lines the reader could not read, no master
	// event to make an override from, an occurrence ruled by a
	// RANGE=THISANDFUTURE override).
	ErrNotEditable = errors.New("calendars: the event cannot be edited safely")
	// ErrNoOccurrence: the resource has no such event or occurrence.
	ErrNoOccurrence = errors.New("calendars: no such occurrence")
)

// TextEdit changes the texts of one occurrence: Description its
// DESCRIPTION, and HTML, when set, every X-ALT-DESC;FMTTYPE=text/html the
// occurrence's component has (Outlook and Exchange show that instead of
// the DESCRIPTION; a new override made from a master that has one has it
// too).
type TextEdit struct {
	Description func(old string) (string, bool)
	HTML        func(old string) (string, bool)
}

// EditOccurrenceText sets the texts of the occurrence recurrenceID (its
// key: UTC RFC 3339, or a date for an all-day series) of the series uid:
// the DESCRIPTION to edit.Description(old), and the HTML alternative
// description with edit.HTML. The occurrence's override is edited when
// the resource has one (RECURRENCE-IDs are compared as instants, whatever
// their form); otherwise one is made from the master: a copy without its
// recurrence, with RECURRENCE-ID, DTSTART and DTEND in the form of the
// master's DTSTART (same TZID, DATE or UTC) holding the occurrence's
// original start and its current start and end. SEQUENCE stays the
// master's. Every other component, property, parameter and value is
// written back as it was read (re-encoded: folding and parameter order may
// differ). When edit reports no change, resource is returned unchanged.
func EditOccurrenceText(resource []byte, opt ReadOptions, uid, recurrenceID string, allDay bool, edit TextEdit) ([]byte, bool, error) {
	key, err := parseOccurrenceKey(recurrenceID, allDay)
	if err != nil {
		return nil, false, err
	}
	roots, probs := ics.Parse(resource)
	if len(probs) > 0 {
		return nil, false, fmt.Errorf("%w: %s", ErrNotEditable, probs[0])
	}
	series, _ := ReadICS([]File{{Name: uid, Data: resource}}, opt)
	var s *Series
	for _, x := range series {
		if x.UID == uid {
			s = x
		}
	}
	if s == nil || s.AllDay != allDay {
		return nil, false, fmt.Errorf("%w: no %s event %q in the resource", ErrNoOccurrence, kindOf(allDay), uid)
	}
	ed := &occurrenceEdit{roots: roots, opt: opt, s: s, key: key}
	if err := ed.find(uid); err != nil {
		return nil, false, err
	}
	if !ed.apply(edit) {
		return resource, false, nil
	}
	var b bytes.Buffer
	if err := ics.Encode(&b, ed.roots); err != nil {
		return nil, false, fmt.Errorf("calendars: %w", err)
	}
	return b.Bytes(), true, nil
}

func parseOccurrenceKey(id string, allDay bool) (time.Time, error) {
	t, isDate, err := ParseKey(id)
	if err != nil || isDate != allDay {
		return t, fmt.Errorf("%w: occurrence key %q is not a %s", ErrNoOccurrence, id, kindOf(allDay))
	}
	return t, nil
}

func kindOf(allDay bool) string {
	if allDay {
		return "date (all-day)"
	}
	return "UTC time"
}

// occurrenceEdit is one EditOccurrenceText call.
type occurrenceEdit struct {
	roots   []*ics.Component
	opt     ReadOptions
	s       *Series
	key     time.Time
	targets []*ics.Component // the overrides to edit
	created *ics.Event       // a new override, inserted only on change
	last    ics.Event        // the last VEVENT of the UID, to insert after
}

// find sets the overrides of the occurrence, or makes a new one.
func (ed *occurrenceEdit) find(uid string) error {
	var master *vevent
	var masterComp *ics.Component
	readers := map[*ics.Component]*reader{}
	for _, ev := range ics.Events(ed.roots, uid) {
		ed.last = ev
		root := ev.Parent
		if root == nil {
			root = ev.Component
		}
		r := readers[root]
		if r == nil {
			r = newReader(uid, root, ed.opt)
			readers[root] = r
		}
		e := r.event(ev.Component)
		switch {
		case e == nil:
		case !e.hasRecur:
			if master == nil || newer(e, master) {
				master, masterComp = e, ev.Component
			}
		case ed.names(toOverride(e)):
			if e.future {
				return fmt.Errorf("%w: the occurrence is ruled by a RANGE=THISANDFUTURE override", ErrNotEditable)
			}
			ed.targets = append(ed.targets, ev.Component)
		}
	}
	if len(ed.targets) > 0 {
		return nil
	}
	if master == nil || ed.s.Partial {
		return fmt.Errorf("%w: no master event to make the occurrence's override from", ErrNotEditable)
	}
	return ed.newOverride(masterComp)
}

// names reports whether an override is for the occurrence being edited.
func (ed *occurrenceEdit) names(o Override) bool {
	switch {
	case ed.s.AllDay:
		return dateKey(o.RecurrenceID).Equal(ed.key)
	case o.RecurrenceIDDate:
		return dateKey(o.RecurrenceID).Equal(dateKey(ed.key.In(ed.s.Location)))
	}
	return o.RecurrenceID.Equal(ed.key)
}

func (ed *occurrenceEdit) newOverride(master *ics.Component) error {
	s := ed.s
	pad := s.Duration + s.maxShift() + 48*time.Hour
	var occ *Occurrence
	for _, o := range s.Expand(ed.key.Add(-pad), ed.key.Add(pad)) {
		if o.Key.Equal(ed.key) {
			occ = &o
			break
		}
	}
	if occ == nil {
		return fmt.Errorf("%w: the series has no occurrence %s", ErrNoOccurrence, ed.key.Format(time.RFC3339))
	}
	like := master.Prop("DTSTART")
	orig := ed.key.In(s.Location)
	c := ics.NewOverride(master,
		ics.DateTimeLike("RECURRENCE-ID", orig, like),
		ics.DateTimeLike("DTSTART", occ.Start.In(s.Location), like),
		ics.DateTimeLike("DTEND", occ.End.In(s.Location), like))
	ed.targets = []*ics.Component{c}
	ed.created = &ics.Event{Parent: ed.last.Parent, Component: c}
	return nil
}

// apply runs edit on each target's texts; it reports a change.
func (ed *occurrenceEdit) apply(edit TextEdit) bool {
	changed := false
	for _, c := range ed.targets {
		old := ""
		if p := c.Prop("DESCRIPTION"); p != nil {
			old = ics.Text(p.Value)
		}
		if text, ok := edit.Description(old); ok && text != old {
			c.SetText("DESCRIPTION", text)
			changed = true
		}
		if edit.HTML != nil && editHTML(c, edit.HTML) {
			changed = true
		}
	}
	if changed && ed.created != nil {
		if p := ed.created.Parent; p != nil {
			p.InsertAfter(ed.last.Component, ed.created.Component)
		} else {
			ed.roots = append(ed.roots, ed.created.Component)
		}
	}
	return changed
}

// editHTML runs edit on each X-ALT-DESC of c that is HTML, keeping its
// parameters and place.
func editHTML(c *ics.Component, edit func(string) (string, bool)) bool {
	changed := false
	for i, p := range c.Props {
		if p.Name != "X-ALT-DESC" || !strings.EqualFold(p.Param("FMTTYPE"), "text/html") {
			continue
		}
		old := ics.Text(p.Value)
		if text, ok := edit(old); ok && text != old {
			q := p.Clone()
			q.Value = ics.EscapeText(text)
			c.Props[i] = q
			changed = true
		}
	}
	return changed
}
