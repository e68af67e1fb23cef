package graphtest

// More of the test API (see scenario.go), as "event: cancel" (the
// organizer's cancellation reaches attendees; their copies show isCancelled
// until removed), "event: decline" and "Delete event" (an attendee's
// response is recorded in the organizer's copy's attendee status), Outlook's
// "this and following" edit (the series ends, a new one starts) and rooms
// ("attendee resource type": a room is an attendee of type resource);
// plus reading what a mailbox holds.

import (
	"strings"
	"time"
)

// CancelOccurrence cancels one instance as its organizer: gone from the
// organizer's calendar, a cancelled exception in each attendee's copy.
func (s *Server) CancelOccurrence(uid string, originalStart time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel(uid, originalStart, ViaScenario)
}

// CancelMeeting cancels the whole meeting as its organizer.
func (s *Server) CancelMeeting(uid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel(uid, time.Time{}, ViaScenario)
}

func (s *Server) cancel(uid string, originalStart time.Time, via string) {
	cs := s.copies(uid)
	if len(cs) == 0 {
		panic("graphtest: no meeting " + uid)
	}
	for _, c := range cs {
		if c.it.isOrganizer {
			s.remove(c, originalStart)
			continue
		}
		it := s.target(c, originalStart)
		it.isCancelled = true
		if !strings.HasPrefix(it.subject, "Canceled: ") {
			it.subject = "Canceled: " + it.subject
		}
		s.touch(it)
	}
	s.notifyAttendees(cs[0].it, originalStart, via, KindCancel)
	s.changed()
}

// DeleteOccurrence removes one instance (zero originalStart: the meeting)
// from address's calendar only, as "Remove from calendar" does.
func (s *Server) DeleteOccurrence(address, uid string, originalStart time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(s.copyOf(address, uid), originalStart)
	s.changed()
}

// remove deletes an instance (or the whole meeting) from one calendar; the
// master records the deletion and gets a new change key.
func (s *Server) remove(c copyRef, originalStart time.Time) {
	if originalStart.IsZero() || c.it.kind != "seriesMaster" {
		for id, it := range c.mb.items {
			if it == c.it || (it.kind == "exception" && it.masterID == c.it.id) {
				delete(c.mb.items, id)
			}
		}
		return
	}
	os := originalStart.UTC()
	if x := exceptionsOf(c.mb, c.it.id)[os.Unix()]; x != nil {
		delete(c.mb.items, x.id)
	}
	c.it.removed[os.Unix()] = true
	s.touch(c.it)
}

// Respond records an attendee's response to the meeting (zero
// originalStart) or one instance, in their copy and the organizer's.
// A declined instance leaves the attendee's calendar when removeDeclined is
// set, as Outlook does by default.
func (s *Server) Respond(address, uid string, originalStart time.Time, response string, removeDeclined bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	address = strings.ToLower(address)
	for _, c := range s.copies(uid) {
		switch {
		case c.mb.address == address && response == ResponseDeclined && removeDeclined:
			s.remove(c, originalStart)
		case c.mb.address == address:
			it := s.target(c, originalStart)
			it.response = response
			s.touch(it)
		case c.it.isOrganizer:
			it := s.target(c, originalStart)
			for i := range it.attendees {
				if it.attendees[i].Address == address {
					it.attendees[i].Response = response
				}
			}
			s.touch(it)
		}
	}
	s.changed()
}

// SplitSeries does Outlook's "this and following" as the organizer: the
// series ends the day before from (an original start) and a new series with
// a new iCalUId starts at newStart with the same pattern and people. It
// returns the new series' iCalUId.
func (s *Server) SplitSeries(uid string, from, newStart time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.copies(uid)
	if len(cs) == 0 || cs[0].it.rec == nil {
		panic("graphtest: no series " + uid)
	}
	org := cs[0].it
	m := Meeting{Organizer: org.organizer.Address, Subject: org.subject, Body: org.bodyHTML,
		Start: newStart, Duration: org.end.Sub(org.start), TimeZone: org.zone}
	for _, a := range org.attendees {
		if a.Type == TypeResource {
			m.Rooms = append(m.Rooms, a.Address)
		} else if a.Address != org.organizer.Address {
			m.Attendees = append(m.Attendees, a.Address)
		}
	}
	r := *org.rec
	r.Until, r.Count = time.Time{}, 0
	m.Recurrence = &r
	until := from.In(zoneLoc(org.zone)).AddDate(0, 0, -1)
	s.organizerChange(uid, time.Time{}, ViaScenario, KindUpdate, func(it *item) {
		it.rec.Until, it.rec.Count = until, 0
	})
	for _, c := range s.copies(uid) {
		for id, x := range c.mb.items {
			if x.kind == "exception" && x.masterID == c.it.id && !x.originalStart.Before(from.UTC()) {
				delete(c.mb.items, id)
			}
		}
	}
	return s.createMeeting(m, newICalUID())
}

// AddRoom adds a room (an attendee of type resource) to the meeting as its
// organizer; a room with a mailbox here gets a copy later only if it was
// there at creation (rooms are rarely watched).
func (s *Server) AddRoom(uid, room string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.person(room, TypeResource, ResponseAccepted)
	s.organizerChange(uid, time.Time{}, ViaScenario, KindUpdate, func(it *item) {
		it.attendees = append(it.attendees, a)
	})
}

// EventID is the id of address's copy of the meeting (zero originalStart)
// or of one of its instances.
func (s *Server) EventID(address, uid string, originalStart time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.copyOf(address, uid)
	if originalStart.IsZero() {
		return c.it.id
	}
	return occurrenceID(c.it.id, originalStart.UTC())
}

// Event is what a mailbox holds for one event, for assertions.
type Event struct {
	ID, Type, ICalUID, Subject, BodyHTML, ChangeKey string
	Start, End                                      time.Time
	IsCancelled                                     bool
	Response                                        string
	Attendees                                       []Attendee
}

// Event reads an event of a mailbox (by address) by id; ok is false when
// there is none.
func (s *Server) Event(address, id string) (Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb := s.boxes[strings.ToLower(address)]
	if mb == nil {
		return Event{}, false
	}
	e, ok := s.lookup(mb, id)
	if !ok {
		return Event{}, false
	}
	return Event{ID: e.id, Type: e.kind, ICalUID: e.it.iCalUID, Subject: e.it.subject,
		BodyHTML: e.it.bodyHTML, ChangeKey: e.it.changeKey, Start: e.start.UTC(), End: e.end.UTC(),
		IsCancelled: e.it.isCancelled, Response: e.it.response,
		Attendees: append([]Attendee(nil), e.it.attendees...)}, true
}

// MoveSeries moves the whole meeting ("all events") to newStart as its
// organizer. A series gets a new pattern: as Outlook warns, its exceptions
// and deleted occurrences are dropped, and its occurrences get new ids.
func (s *Server) MoveSeries(uid string, newStart time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.copies(uid) {
		for id, x := range c.mb.items {
			if x.kind == "exception" && x.masterID == c.it.id {
				delete(c.mb.items, id)
			}
		}
		c.it.removed = map[int64]bool{}
	}
	s.organizerChange(uid, time.Time{}, ViaScenario, KindUpdate, func(it *item) {
		loc := zoneLoc(it.zone)
		d, was := it.end.Sub(it.start), it.start.In(loc).Weekday()
		it.start, it.end = newStart.In(loc), newStart.Add(d).In(loc)
		if it.rec != nil && len(it.rec.DaysOfWeek) == 1 && it.rec.DaysOfWeek[0] == was {
			it.rec.DaysOfWeek = []time.Weekday{it.start.Weekday()} // the meeting's day moves with it
		}
	})
}
