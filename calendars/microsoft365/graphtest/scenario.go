package graphtest

// The test API: what people do in Outlook, applied the way Exchange applies
// it ("Meeting requests and responses", "Cancel event", "Decline event"):
// an organizer's change reaches every attendee's copy on this server (and
// is counted as an update message per attendee, see Notifications); an
// attendee's change touches only that attendee's copy. A cancelled
// occurrence leaves the organizer's calendar and stays in attendees'
// calendars as a cancelled exception ("Canceled: " subject) until they
// remove it.

import (
	"strings"
	"time"
)

// Meeting describes a single meeting or a recurring series to create.
type Meeting struct {
	Organizer  string   // an address; with a mailbox here it gets the organizer's copy
	Attendees  []string // required attendees; those with mailboxes here get copies
	Rooms      []string // attendees of type resource; they accept at once
	Subject    string
	Body       string // HTML (a fragment is wrapped as Outlook does)
	Start      time.Time
	Duration   time.Duration
	TimeZone   string // Windows or IANA name; "" = UTC
	Recurrence *Recurrence
}

// CreateMeeting creates the meeting in the organizer's and attendees'
// mailboxes and returns its iCalUId.
func (s *Server) CreateMeeting(m Meeting) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createMeeting(m, newICalUID())
}

func (s *Server) createMeeting(m Meeting, uid string) string {
	loc := zoneLoc(m.TimeZone)
	kind := "singleInstance"
	if m.Recurrence != nil {
		kind = "seriesMaster"
	}
	org := s.person(m.Organizer, TypeRequired, ResponseOrganizer)
	var atts []Attendee
	for _, a := range m.Attendees {
		atts = append(atts, s.person(a, TypeRequired, ResponseNone))
	}
	for _, r := range m.Rooms {
		atts = append(atts, s.person(r, TypeResource, ResponseAccepted))
	}
	for _, p := range append([]Attendee{org}, atts...) {
		mb := s.boxes[p.Address]
		if mb == nil {
			continue
		}
		it := &item{id: newEventID(), kind: kind, iCalUID: uid, subject: m.Subject,
			bodyHTML: storeBody("html", m.Body), start: m.Start.In(loc), end: m.Start.Add(m.Duration).In(loc),
			zone: m.TimeZone, organizer: org, isOrganizer: p.Address == org.Address,
			attendees: append([]Attendee(nil), atts...), response: p.Response, created: s.now(),
			removed: map[int64]bool{}}
		if it.isOrganizer {
			it.response = ResponseOrganizer
		} else if p.Type != TypeResource {
			it.response = ResponseNotResponded
		}
		if m.Recurrence != nil {
			r := *m.Recurrence
			r.DaysOfWeek = append([]time.Weekday(nil), r.DaysOfWeek...)
			it.rec = &r
		}
		s.touch(it)
		mb.items[it.id] = it
	}
	s.changed()
	return uid
}

func (s *Server) person(address, typ, response string) Attendee {
	a := Attendee{Address: strings.ToLower(address), Type: typ, Response: response}
	if mb := s.boxes[a.Address]; mb != nil {
		a.Name = mb.name
	} else {
		a.Name, _, _ = strings.Cut(address, "@")
	}
	return a
}

// copyRef is one mailbox's copy of a meeting (its master or single item).
type copyRef struct {
	mb *mailbox
	it *item
}

// copies lists the copies of a meeting, the organizer's first.
func (s *Server) copies(uid string) []copyRef {
	var out []copyRef
	for _, mb := range s.mailboxes() {
		for _, it := range mb.items {
			if it.iCalUID == uid && it.kind != "exception" {
				if it.isOrganizer {
					out = append([]copyRef{{mb, it}}, out...)
				} else {
					out = append(out, copyRef{mb, it})
				}
			}
		}
	}
	return out
}

// mailboxes lists each mailbox once.
func (s *Server) mailboxes() []*mailbox {
	var out []*mailbox
	for k, mb := range s.boxes {
		if k == mb.id {
			out = append(out, mb)
		}
	}
	return out
}

// target is the item of c that a change to originalStart (zero: the whole
// meeting) edits, made an exception when it was a plain occurrence.
func (s *Server) target(c copyRef, originalStart time.Time) *item {
	if originalStart.IsZero() || c.it.kind != "seriesMaster" {
		return c.it
	}
	return s.materialize(c.mb, c.it, originalStart.UTC())
}

// materialize returns the exception of master at os, creating it from the
// occurrence.
func (s *Server) materialize(mb *mailbox, master *item, os time.Time) *item {
	if x := exceptionsOf(mb, master.id)[os.Unix()]; x != nil {
		return x
	}
	x := master.clone()
	x.id, x.kind, x.masterID, x.originalStart, x.rec = occurrenceID(master.id, os), "exception", master.id, os, nil
	loc := zoneLoc(master.zone)
	x.start, x.end = os.In(loc), os.Add(master.end.Sub(master.start)).In(loc)
	x.created = s.now()
	mb.items[x.id] = x
	s.touch(master) // Exchange keeps a series' exceptions in its master
	return x
}

// organizerChange applies change to the organizer's copy of the meeting (or
// of one instance) and sends the result as an update to every attendee:
// Exchange replaces an attendee's copy with the updated meeting (subject,
// body, location, times, attendees, recurrence), so notes an attendee wrote
// into the body are lost. Without the organizer's mailbox here, change is
// applied to each copy.
func (s *Server) organizerChange(uid string, originalStart time.Time, via, kind string, change func(*item)) {
	cs := s.copies(uid)
	if len(cs) == 0 {
		panic("graphtest: no meeting " + uid)
	}
	org := s.target(cs[0], originalStart)
	change(org)
	s.touch(org)
	for _, c := range cs[1:] {
		it := s.target(c, originalStart)
		if cs[0].it.isOrganizer {
			updateFrom(it, org)
		} else {
			change(it)
		}
		s.touch(it)
	}
	s.notifyAttendees(cs[0].it, originalStart, via, kind)
	s.changed()
}

// updateFrom gives an attendee's copy the organizer's meeting.
func updateFrom(it, org *item) {
	it.subject, it.bodyHTML, it.location = org.subject, org.bodyHTML, org.location
	it.start, it.end, it.zone = org.start, org.end, org.zone
	it.attendees = append([]Attendee(nil), org.attendees...)
	if org.rec != nil {
		r := *org.rec
		r.DaysOfWeek = append([]time.Weekday(nil), org.rec.DaysOfWeek...)
		it.rec = &r
	}
}

// MoveOccurrence moves one instance (by its original start) to newStart,
// as its organizer.
func (s *Server) MoveOccurrence(uid string, originalStart, newStart time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.organizerChange(uid, originalStart, ViaScenario, KindUpdate, func(it *item) {
		d := it.end.Sub(it.start)
		it.start, it.end = newStart.In(zoneLoc(it.zone)), newStart.Add(d).In(zoneLoc(it.zone))
	})
}

// EditBody sets the body (HTML) of the meeting (zero originalStart) or of
// one instance in address's copy. The organizer's edit reaches every copy.
func (s *Server) EditBody(address, uid string, originalStart time.Time, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := func(it *item) { it.bodyHTML = storeBody("html", body) }
	c := s.copyOf(address, uid)
	if c.it.isOrganizer {
		s.organizerChange(uid, originalStart, ViaScenario, KindUpdate, set)
		return
	}
	it := s.target(c, originalStart)
	set(it)
	s.touch(it)
	s.changed()
}

func (s *Server) copyOf(address, uid string) copyRef {
	for _, c := range s.copies(uid) {
		if c.mb.address == strings.ToLower(address) {
			return c
		}
	}
	panic("graphtest: " + address + " has no copy of " + uid)
}
