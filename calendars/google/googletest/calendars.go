package googletest

import (
	"strings"
	"time"
)

// AddCalendar creates the calendar id belonging to ownerEmail, in time zone
// UTC. A user's primary calendar has the user's email as its id; requests
// for "primary" resolve to it (or to the user's first calendar). Only the
// owner (and users given access with Share) can use a calendar; others get
// 404, as with Google.
func (s *Server) AddCalendar(id, ownerEmail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.cals[id]; dup {
		panic("googletest: calendar " + id + " exists already")
	}
	s.cals[id] = &calendarState{id: id, owner: ownerEmail, timeZone: "UTC",
		shared: map[string]bool{}, events: map[string]*record{}, updated: s.now()}
	s.calOrder = append(s.calOrder, id)
}

// SetCalendarTimeZone sets the calendar's time zone (an IANA name), used for
// all-day events and reported in lists.
func (s *Server) SetCalendarTimeZone(calendarID, tz string) {
	if _, err := time.LoadLocation(tz); err != nil {
		panic("googletest: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustCal(calendarID).timeZone = tz
}

// Share gives email write access to the calendar (a calendar shared with
// "Make changes to events").
func (s *Server) Share(calendarID, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustCal(calendarID).shared[strings.ToLower(email)] = true
}

// SetOrganizer makes email the organizer of every event in the calendar,
// now and for events added later through the scenario API or events.insert.
// Writes to an event by anyone other than its organizer (the access
// token's subject) are refused with 403 forbiddenForNonOrganizer, except
// for the fields each attendee may change on their own copy (reminders,
// colour, transparency, private extended properties, their own response).
func (s *Server) SetOrganizer(calendarID, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calendarID)
	cal.organizer = email
	for _, rec := range cal.sorted() {
		ev := cloneEvent(rec.ev)
		if ev.Organizer == nil || !sameEmail(ev.Organizer.Email, email) {
			ev.Organizer = organizerOf(email)
			s.store(cal, ev)
		}
	}
}

// SetSilentNoop switches the calendar to answer a non-organizer's write with
// 200 and the unchanged event instead of 403, as Google does for some
// fields of attendee copies.
func (s *Server) SetSilentNoop(calendarID string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustCal(calendarID).silentNoop = on
}

// SetHTMLDescriptions makes every description written from now on (through
// the API or SetDescription) come back as Google's web UI stores it after a
// user edited it: newlines become <br>, URLs become links, and &, < and >
// are escaped. Existing markup and entities are kept, so rewriting is
// idempotent.
func (s *Server) SetHTMLDescriptions(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.html = on
}

func (s *Server) mustCal(id string) *calendarState {
	cal := s.cals[id]
	if cal == nil {
		panic("googletest: no calendar " + id + " (AddCalendar first)")
	}
	return cal
}

type calendarListEntry struct {
	Kind       string `json:"kind"`
	Etag       string `json:"etag"`
	ID         string `json:"id"`
	Summary    string `json:"summary"`
	TimeZone   string `json:"timeZone"`
	AccessRole string `json:"accessRole"`
	Primary    bool   `json:"primary,omitempty"`
	DataOwner  string `json:"dataOwner,omitempty"`
}

// calendarListList is minimal: every calendar the caller can use, in one
// page; syncToken and the filters are accepted and ignored.
func (s *Server) calendarListList(c *call) (any, *apiError) {
	items := []calendarListEntry{}
	primary := s.primaryOf(c.subject)
	for _, id := range s.calOrder {
		cal := s.cals[id]
		if !cal.canAccess(c.subject) {
			continue
		}
		role := "writer"
		if sameEmail(cal.owner, c.subject) {
			role = "owner"
		}
		items = append(items, calendarListEntry{Kind: "calendar#calendarListEntry",
			Etag: `"` + cal.updated.Format("20060102150405") + `"`, ID: id, Summary: id,
			TimeZone: cal.timeZone, AccessRole: role, Primary: id == primary, DataOwner: cal.owner})
	}
	return map[string]any{"kind": "calendar#calendarList", "etag": `"cl"`, "items": items,
		"nextSyncToken": "cl-" + randomString(12)}, nil
}
