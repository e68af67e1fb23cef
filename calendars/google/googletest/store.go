package googletest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"google.golang.org/api/calendar/v3"
)

// googleTime is how Google writes created/updated stamps.
const googleTime = "2006-01-02T15:04:05.000Z"

type calendarState struct {
	id         string
	owner      string // email of the user whose calendar this is
	timeZone   string
	organizer  string // SetOrganizer: organizer of this calendar's events
	silentNoop bool
	shared     map[string]bool // other users with write access
	events     map[string]*record
	order      int
	updated    time.Time
}

// record is one stored event: a single event, a recurring master, or an
// exception (an instance with its own record), in one calendar.
type record struct {
	ev      *calendar.Event
	changed int64 // Server.seq of the last write
	order   int   // creation order, the stable default order of lists
}

func (c *calendarState) sorted() []*record {
	out := make([]*record, 0, len(c.events))
	for _, r := range c.events {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

func sameEmail(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

func cloneEvent(ev *calendar.Event) *calendar.Event {
	data, err := json.Marshal(ev)
	if err != nil {
		panic("googletest: " + err.Error())
	}
	var out calendar.Event
	if err := json.Unmarshal(data, &out); err != nil {
		panic("googletest: " + err.Error())
	}
	return &out
}

func toMap(ev *calendar.Event) map[string]any {
	data, _ := json.Marshal(ev)
	var m map[string]any
	json.Unmarshal(data, &m)
	return m
}

func fromMap(m map[string]any) (*calendar.Event, error) {
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var ev calendar.Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, err
	}
	return &ev, nil
}

// store writes ev into cal with a fresh etag and updated stamp and records
// the change for sync tokens.
func (s *Server) store(cal *calendarState, ev *calendar.Event) {
	s.seq++
	now := s.now()
	ev = cloneEvent(ev)
	ev.Etag = fmt.Sprintf(`"%d"`, now.UnixMilli()*1000+s.seq)
	ev.Updated = now.Format(googleTime)
	if ev.Organizer != nil {
		ev.Organizer.Self = false
	}
	if ev.Creator != nil {
		ev.Creator.Self = false
	}
	for _, a := range ev.Attendees {
		a.Self, a.Organizer = false, false
	}
	rec := cal.events[ev.Id]
	if rec == nil {
		cal.order++
		rec = &record{order: cal.order}
		cal.events[ev.Id] = rec
	}
	rec.ev, rec.changed = ev, s.seq
	cal.updated = now
}

// participants are the lower-cased emails of the organizer and attendees.
func participants(ev *calendar.Event) map[string]bool {
	out := map[string]bool{}
	if ev.Organizer != nil && ev.Organizer.Email != "" {
		out[strings.ToLower(ev.Organizer.Email)] = true
	}
	for _, a := range ev.Attendees {
		out[strings.ToLower(a.Email)] = true
	}
	return out
}

// propagate copies an organizer's change to the copies of the event in the
// other calendars of the fake, as Google does: participants' calendars get
// (or keep) a copy with its own etag, calendars of removed participants see
// their copy cancelled. Per-copy settings (reminders, colour, transparency,
// private extended properties) are kept.
func (s *Server) propagate(src *calendarState, ev *calendar.Event) {
	who := participants(ev)
	for _, id := range s.calOrder {
		cal := s.cals[id]
		if cal == src {
			continue
		}
		old := cal.events[ev.Id]
		switch {
		case who[strings.ToLower(cal.owner)]:
			s.store(cal, copyFor(old, ev))
		case old != nil && old.ev.Status != "cancelled":
			gone := cloneEvent(old.ev)
			gone.Status = "cancelled"
			s.store(cal, gone)
		}
	}
}

func copyFor(old *record, ev *calendar.Event) *calendar.Event {
	cp := cloneEvent(ev)
	if old == nil {
		return cp
	}
	cp.Reminders, cp.ColorId, cp.Transparency = old.ev.Reminders, old.ev.ColorId, old.ev.Transparency
	if old.ev.ExtendedProperties != nil {
		if cp.ExtendedProperties == nil {
			cp.ExtendedProperties = &calendar.EventExtendedProperties{}
		}
		cp.ExtendedProperties.Private = old.ev.ExtendedProperties.Private
	}
	return cp
}

// calFor resolves the calendarId path parameter ("primary" is the caller's
// own calendar) and checks that the caller may use it; calendars the caller
// cannot see are 404, as with Google.
func (s *Server) calFor(c *call) (*calendarState, *apiError) {
	id := c.params["calendarId"]
	if id == "primary" {
		id = s.primaryOf(c.subject)
	}
	cal := s.cals[id]
	if cal == nil || !cal.canAccess(c.subject) {
		return nil, notFound()
	}
	return cal, nil
}

func (s *Server) primaryOf(subject string) string {
	if _, ok := s.cals[subject]; ok {
		return subject
	}
	for _, id := range s.calOrder {
		if sameEmail(s.cals[id].owner, subject) {
			return id
		}
	}
	return ""
}

func (c *calendarState) canAccess(subject string) bool {
	return sameEmail(c.owner, subject) || c.shared[strings.ToLower(subject)]
}
