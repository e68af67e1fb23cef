package googletest

import (
	"google.golang.org/api/calendar/v3"
)

// SetAttendeeResponse records email's answer ("accepted", "declined",
// "tentative", "needsAction") on every copy of the event. For a recurring
// event it answers for the whole series, exceptions included; for an
// instance id it answers for that occurrence only (creating its exception).
func (s *Server) SetAttendeeResponse(calID, eventID, email, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calID)
	targets := []*found{s.mustFind(cal, eventID)}
	if len(targets[0].ev.Recurrence) > 0 {
		for _, rec := range cal.sorted() {
			if rec.ev.RecurringEventId == eventID && rec.ev.Status != "cancelled" {
				targets = append(targets, &found{ev: cloneEvent(rec.ev)})
			}
		}
	}
	for _, f := range targets {
		next := cloneEvent(f.ev)
		hit := false
		for _, a := range next.Attendees {
			if sameEmail(a.Email, email) {
				a.ResponseStatus, hit = status, true
			}
		}
		if !hit && f == targets[0] {
			panic("googletest: " + email + " is not an attendee of " + eventID)
		}
		s.commit(cal, next, f.ev, true)
	}
}

// SetDescription replaces the description of an event or of one instance
// (creating its exception), as a user editing it in the web UI; with
// SetHTMLDescriptions(true) it is stored as the web UI's HTML.
func (s *Server) SetDescription(calID, eventID, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calID)
	f := s.mustFind(cal, eventID)
	next := cloneEvent(f.ev)
	next.Description = text
	s.commit(cal, next, f.ev, true)
}

// Event returns the event (or the instance "<masterId>_<time>") as the
// owner of calID sees it through events.get; the zero Event when there is
// no such event.
func (s *Server) Event(calID, id string) calendar.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calID)
	f, err := s.find(cal, id)
	if err != nil {
		return calendar.Event{}
	}
	return *render(cal, f.ev, nil)
}

// Events returns every stored event of calID (masters, exceptions, single
// and deleted events) in creation order, as the owner sees them.
func (s *Server) Events(calID string) []calendar.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calID)
	var out []calendar.Event
	for _, rec := range cal.sorted() {
		out = append(out, *render(cal, rec.ev, nil))
	}
	return out
}
