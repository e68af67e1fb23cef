package googletest

import (
	"fmt"
	"strings"
	"time"

	"google.golang.org/api/calendar/v3"
)

// Recurring describes an event as a user creates it in Google Calendar.
// The scenario API acts like the event's organizer in the web UI: every
// change reaches the copies in all participants' calendars (each copy gets
// its own etag; all share the event id and iCalUID), and every change is
// seen by sync tokens. Scenario methods panic on unknown calendars or
// events, as test set-up mistakes.
type Recurring struct {
	Summary     string
	Description string
	// Start is the first occurrence. For AllDay events only its date counts.
	Start time.Time
	// TZ is the IANA time zone the rule is expanded in ("UTC" if empty).
	TZ string
	// Duration of each occurrence: 30 minutes if zero (all-day: one day).
	Duration time.Duration
	AllDay   bool
	// RRule is the rule, with or without the "RRULE:" prefix, e.g.
	// "FREQ=WEEKLY;BYDAY=MO;COUNT=10". Empty makes a single event.
	RRule string
	// ExDates are original starts excluded from the rule (EXDATE).
	ExDates []time.Time
	// Organizer defaults to the calendar's organizer (SetOrganizer) or owner.
	Organizer string
	// Attendees are guest emails. The organizer is listed as an accepted
	// attendee too; others start as needsAction. Emails at
	// resource.calendar.google.com are rooms (resource: true).
	Attendees []string
	// ID is the event id; a new one is made when empty.
	ID string
}

// AddRecurring creates the event in calID and in the calendars of its other
// participants, and returns its id and iCalUID.
func (s *Server) AddRecurring(calID string, r Recurring) (eventID, iCalUID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calID)
	ev := s.eventFrom(cal, r)
	if _, dup := cal.events[ev.Id]; dup {
		panic("googletest: event id " + ev.Id + " exists already")
	}
	if err := validateEvent(ev); err != nil {
		panic(fmt.Sprintf("googletest: AddRecurring: %s", err.Message))
	}
	s.commit(cal, ev, nil, true)
	return ev.Id, ev.ICalUID
}

func (s *Server) eventFrom(cal *calendarState, r Recurring) *calendar.Event {
	if r.TZ == "" {
		r.TZ = "UTC"
	}
	loc, err := time.LoadLocation(r.TZ)
	if err != nil {
		panic("googletest: " + err.Error())
	}
	ev := &calendar.Event{Id: r.ID, Summary: r.Summary, Description: r.Description}
	if ev.Id == "" {
		ev.Id = newEventID()
	}
	s.initEvent(cal, ev, "")
	if r.Organizer != "" {
		ev.Organizer = organizerOf(r.Organizer)
		ev.Creator = &calendar.EventCreator{Email: r.Organizer}
	}
	start := r.Start.In(loc)
	if r.AllDay {
		start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
		if r.Duration == 0 {
			r.Duration = 24 * time.Hour
		}
	} else if r.Duration == 0 {
		r.Duration = 30 * time.Minute
	}
	ev.Start = formatEDT(start, r.AllDay, r.TZ)
	ev.End = formatEDT(start.Add(r.Duration), r.AllDay, r.TZ)
	ev.Recurrence = recurrenceLines(r, loc)
	ev.Attendees = attendeeList(ev.Organizer.Email, r.Attendees)
	return ev
}

func recurrenceLines(r Recurring, loc *time.Location) []string {
	if r.RRule == "" {
		return nil
	}
	lines := []string{"RRULE:" + strings.TrimPrefix(r.RRule, "RRULE:")}
	for _, t := range r.ExDates {
		if r.AllDay {
			lines = append(lines, "EXDATE;VALUE=DATE:"+t.Format(dateStamp))
		} else {
			lines = append(lines, fmt.Sprintf("EXDATE;TZID=%s:%s", r.TZ, t.In(loc).Format("20060102T150405")))
		}
	}
	return lines
}

func organizerOf(email string) *calendar.EventOrganizer {
	return &calendar.EventOrganizer{Email: email}
}

func attendeeList(organizer string, guests []string) []*calendar.EventAttendee {
	if len(guests) == 0 {
		return nil
	}
	out := []*calendar.EventAttendee{{Email: organizer, ResponseStatus: "accepted"}}
	for _, g := range guests {
		if sameEmail(g, organizer) {
			continue
		}
		out = append(out, &calendar.EventAttendee{Email: g, ResponseStatus: "needsAction",
			Resource: strings.HasSuffix(strings.ToLower(g), "resource.calendar.google.com")})
	}
	return out
}

// instanceAt is the instance of a recurring event at its original start:
// its exception if it has one, else the instance the rule makes.
func (s *Server) instanceAt(cal *calendarState, eventID string, orig time.Time) *found {
	rec := cal.events[eventID]
	if rec == nil || len(rec.ev.Recurrence) == 0 {
		panic("googletest: " + eventID + " is not a recurring event in " + cal.id)
	}
	_, allDay, _ := parseEDT(rec.ev.Start)
	f, err := s.find(cal, instanceID(eventID, orig, allDay))
	if err != nil {
		panic(fmt.Sprintf("googletest: %s has no occurrence at %s", eventID, orig.Format(time.RFC3339)))
	}
	return f
}

// MoveOccurrence moves one occurrence (by its original start) to newStart,
// keeping its length: the exception "<eventID>_<time>" is created or
// changed, as dragging the occurrence in the web UI does.
func (s *Server) MoveOccurrence(calID, eventID string, originalStart, newStart time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calID)
	f := s.instanceAt(cal, eventID, originalStart)
	next := cloneEvent(f.ev)
	_, allDay, _ := parseEDT(f.ev.Start)
	next.Start = formatEDT(newStart, allDay, f.ev.Start.TimeZone)
	next.End = formatEDT(newStart.Add(duration(f.ev)), allDay, f.ev.End.TimeZone)
	next.Status = "confirmed"
	s.commit(cal, next, f.ev, true)
}

// CancelOccurrence deletes one occurrence: it becomes a cancelled exception,
// listed in its sparse form.
func (s *Server) CancelOccurrence(calID, eventID string, originalStart time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calID)
	f := s.instanceAt(cal, eventID, originalStart)
	next := cloneEvent(f.ev)
	next.Status = "cancelled"
	s.commit(cal, next, f.ev, true)
}

// DeleteEvent deletes an event (a whole series for a recurring event, one
// occurrence for an instance id) for every participant.
func (s *Server) DeleteEvent(calID, eventID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calID)
	f := s.mustFind(cal, eventID)
	next := cloneEvent(f.ev)
	next.Status = "cancelled"
	s.commit(cal, next, f.ev, true)
}

func (s *Server) mustFind(cal *calendarState, id string) *found {
	f, err := s.find(cal, id)
	if err != nil {
		panic("googletest: no event " + id + " in " + cal.id)
	}
	return f
}
