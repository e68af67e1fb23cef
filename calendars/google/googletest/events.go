package googletest

import (
	"net/http"
	"regexp"
	"strings"

	"google.golang.org/api/calendar/v3"
)

// found is an event as a request addresses it.
type found struct {
	ev      *calendar.Event // current state (a copy)
	master  *calendar.Event // the recurring event, for instances
	virtual bool            // an instance that has no exception of its own yet
}

// find looks an id up: a stored event, or "<masterId>_<time>" for an
// instance of a recurring event that has not been changed yet.
func (s *Server) find(cal *calendarState, id string) (*found, *apiError) {
	if rec := cal.events[id]; rec != nil {
		f := &found{ev: cloneEvent(rec.ev)}
		if m := cal.events[rec.ev.RecurringEventId]; rec.ev.RecurringEventId != "" && m != nil {
			f.master = m.ev
		}
		return f, nil
	}
	masterID, orig, ok := parseInstanceID(id)
	m := cal.events[masterID]
	if !ok || m == nil || len(m.ev.Recurrence) == 0 || !isOccurrence(m.ev, orig) {
		return nil, notFound()
	}
	inst := virtualInstance(m.ev, orig)
	if inst.Id != id {
		return nil, notFound()
	}
	if m.ev.Status == "cancelled" {
		inst.Status = "cancelled"
	}
	return &found{ev: inst, master: m.ev, virtual: true}, nil
}

// eventFor returns the calendar a call names and its event eventId.
func (s *Server) eventFor(c *call) (*calendarState, *found, *apiError) {
	cal, err := s.calFor(c)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.find(cal, c.params["eventId"])
	return cal, f, err
}

// bodyFor returns the calendar a call names and the event in its body,
// checked against the API's schema.
func (s *Server) bodyFor(c *call) (*calendarState, map[string]any, *apiError) {
	cal, err := s.calFor(c)
	if err != nil {
		return nil, nil, err
	}
	body, err := loadDiscovery().decodeBody(c.method, c.body)
	return cal, body, err
}

// eventsGet: "The get method always returns [cancelled events]."
func (s *Server) eventsGet(c *call) (any, *apiError) {
	cal, f, err := s.eventFor(c)
	if err != nil {
		return nil, err
	}
	tz, err := requestZone(c)
	if err != nil {
		return nil, err
	}
	c.header = http.Header{"Etag": {f.ev.Etag}}
	if inm := c.r.Header.Get("If-None-Match"); inm != "" && inm == f.ev.Etag {
		c.status = http.StatusNotModified
	}
	return render(cal, f.ev, tz), nil
}

// Provided ids: "characters allowed in the ID are those used in base32hex
// encoding, i.e. lowercase letters a-v and digits 0-9 ... the length of the
// ID must be between 5 and 1024 characters".
var validID = regexp.MustCompile(`^[a-v0-9]+$`)

func (s *Server) eventsInsert(c *call) (any, *apiError) {
	cal, body, err := s.bodyFor(c)
	if err != nil {
		return nil, err
	}
	ev, perr := fromMap(body)
	if perr != nil {
		return nil, &apiError{Code: 400, Reason: "parseError", Message: "Parse Error"}
	}
	if err := s.checkNewID(cal, ev); err != nil {
		return nil, err
	}
	ev.RecurringEventId, ev.OriginalStartTime = "", nil
	s.initEvent(cal, ev, c.subject)
	if err := validateEvent(ev); err != nil {
		return nil, err
	}
	s.commit(cal, ev, nil, true)
	return render(cal, cal.events[ev.Id].ev, nil), nil
}

func (s *Server) checkNewID(cal *calendarState, ev *calendar.Event) *apiError {
	if ev.Id != "" && (!validID.MatchString(ev.Id) || len(ev.Id) < 5 || len(ev.Id) > 1024) {
		return fieldError("invalid", "resource.id", "Invalid resource id value.")
	}
	if ev.Id == "" {
		ev.Id = newEventID()
	}
	for _, rec := range cal.events {
		if rec.ev.Id == ev.Id || (ev.ICalUID != "" && rec.ev.ICalUID == ev.ICalUID) {
			return &apiError{Code: 409, Reason: "duplicate", Message: "The requested identifier already exists."}
		}
	}
	return nil
}

func newEventID() string {
	const alphabet = "0123456789abcdefghijklmnopqrstuv"
	b := []byte(strings.ToLower(randomString(20)))
	for i := range b {
		b[i] = alphabet[int(b[i])%32]
	}
	return string(b[:26])
}

// initEvent fills the read-only fields Google sets on a new event.
func (s *Server) initEvent(cal *calendarState, ev *calendar.Event, creator string) {
	now := s.now().Format(googleTime)
	ev.Kind, ev.Created, ev.Sequence = "calendar#event", now, 0
	if ev.Status == "" {
		ev.Status = "confirmed"
	}
	if ev.ICalUID == "" {
		ev.ICalUID = ev.Id + "@google.com"
	}
	org := cal.owner
	if cal.organizer != "" {
		org = cal.organizer
	}
	ev.Organizer = &calendar.EventOrganizer{Email: org}
	if creator == "" {
		creator = org
	}
	ev.Creator = &calendar.EventCreator{Email: creator}
	ev.HtmlLink = "https://www.google.com/calendar/event?eid=" + ev.Id
	if ev.EventType == "" {
		ev.EventType = "default"
	}
	if ev.Reminders == nil {
		ev.Reminders = &calendar.EventReminders{UseDefault: true}
	}
}

// validateEvent checks what Google checks on every write: start and end of
// the same kind and in order, a time zone and a valid rule for recurring
// events.
func validateEvent(ev *calendar.Event) *apiError {
	start, allDay, err1 := parseEDT(ev.Start)
	end, endAllDay, err2 := parseEDT(ev.End)
	if err1 != nil || err2 != nil || allDay != endAllDay {
		return fieldError("invalid", "resource.start", "Invalid start or end time.")
	}
	if end.Before(start) {
		return &apiError{Code: 400, Reason: "timeRangeEmpty", Message: "The specified time range is empty."}
	}
	if len(ev.Recurrence) == 0 {
		return nil
	}
	if !allDay && ev.Start.TimeZone == "" {
		return fieldError("required", "resource.start.timeZone", "Missing time zone definition for start time.")
	}
	if _, err := ruleSet(ev); err != nil {
		return fieldError("invalid", "resource.recurrence", "Invalid recurrence rule.")
	}
	return nil
}

func (s *Server) eventsDelete(c *call) (any, *apiError) {
	cal, f, err := s.eventFor(c)
	if err != nil {
		return nil, err
	}
	if f.ev.Status == "cancelled" {
		return nil, gone()
	}
	if err := checkIfMatch(c, f.ev); err != nil {
		return nil, err
	}
	next := cloneEvent(f.ev)
	next.Status = "cancelled"
	// An attendee deleting the event only removes their own copy.
	s.commit(cal, next, f.ev, isOrganizer(f.ev, c.subject))
	c.status = http.StatusNoContent
	return nil, nil
}

func isOrganizer(ev *calendar.Event, subject string) bool {
	return ev.Organizer != nil && sameEmail(ev.Organizer.Email, subject)
}

// checkIfMatch: a stale If-Match etag is 412 conditionNotMet.
func checkIfMatch(c *call, ev *calendar.Event) *apiError {
	im := c.r.Header.Get("If-Match")
	if im == "" || im == "*" || im == ev.Etag {
		return nil
	}
	return conditionNotMet()
}
