package googletest

import (
	"reflect"

	"google.golang.org/api/calendar/v3"
)

func (s *Server) eventsPatch(c *call) (any, *apiError)  { return s.writeEvent(c, false) }
func (s *Server) eventsUpdate(c *call) (any, *apiError) { return s.writeEvent(c, true) }

// writeEvent is events.patch (merge) and events.update (replace). Writing
// to an instance id that has no exception yet creates the exception, with
// id "<masterId>_<time>", recurringEventId and originalStartTime.
func (s *Server) writeEvent(c *call, replace bool) (any, *apiError) {
	cal, body, err := s.bodyFor(c)
	if err != nil {
		return nil, err
	}
	f, err := s.find(cal, c.params["eventId"])
	if err != nil {
		return nil, err
	}
	if err := checkIfMatch(c, f.ev); err != nil {
		return nil, err
	}
	next, err := applyChange(f.ev, body, replace)
	if err != nil {
		return nil, err
	}
	organizer := isOrganizer(f.ev, c.subject)
	if !organizer && !personalOnly(f.ev, next, c.subject) {
		if cal.silentNoop {
			return render(cal, f.ev, nil), nil
		}
		return nil, forbiddenForNonOrganizer()
	}
	if err := validateEvent(next); err != nil {
		return nil, err
	}
	s.commit(cal, next, f.ev, organizer)
	return render(cal, cal.events[next.Id].ev, nil), nil
}

// readOnly are the fields a write cannot change: "Read-only" or
// "Immutable" in the discovery document, the identity of the event, and
// recurrence on instances.
var readOnly = []string{"kind", "etag", "id", "iCalUID", "recurringEventId", "originalStartTime",
	"organizer", "creator", "created", "updated", "htmlLink", "eventType"}

func applyChange(cur *calendar.Event, body map[string]any, replace bool) (*calendar.Event, *apiError) {
	old := toMap(cur)
	next := body
	if !replace {
		next = mergePatch(toMap(cur), body)
	}
	keep := append([]string{"sequence"}, readOnly...)
	if cur.RecurringEventId != "" {
		keep = append(keep, "recurrence")
	}
	for _, k := range keep {
		if v, ok := old[k]; ok {
			next[k] = v
		} else {
			delete(next, k)
		}
	}
	ev, err := fromMap(next)
	if err != nil {
		return nil, &apiError{Code: 400, Reason: "parseError", Message: "Parse Error"}
	}
	return ev, nil
}

// mergePatch applies patch semantics: objects merge field by field, arrays
// and scalars replace, null clears.
func mergePatch(dst, patch map[string]any) map[string]any {
	for k, v := range patch {
		sub, isObj := v.(map[string]any)
		old, wasObj := dst[k].(map[string]any)
		switch {
		case v == nil:
			delete(dst, k)
		case isObj && wasObj:
			dst[k] = mergePatch(old, sub)
		default:
			dst[k] = v
		}
	}
	return dst
}

// personalFields are what an attendee may change on their own copy.
var personalFields = []string{"reminders", "colorId", "transparency", "extendedProperties"}

// personalOnly reports whether next differs from cur only in what a
// non-organizer may change: their reminders, colour, transparency, private
// extended properties, and their own response on the attendee list.
func personalOnly(cur, next *calendar.Event, subject string) bool {
	a, b := toMap(cur), toMap(next)
	sharedA, sharedB := sharedProps(cur), sharedProps(next)
	for _, k := range personalFields {
		delete(a, k)
		delete(b, k)
	}
	if !reflect.DeepEqual(sharedA, sharedB) {
		return false
	}
	if len(cur.Attendees) == len(next.Attendees) {
		mine := cloneEvent(next)
		for i, at := range mine.Attendees {
			at.Self, at.Organizer = false, false
			if sameEmail(at.Email, subject) && sameEmail(cur.Attendees[i].Email, subject) {
				at.ResponseStatus, at.Comment = cur.Attendees[i].ResponseStatus, cur.Attendees[i].Comment
				at.AdditionalGuests = cur.Attendees[i].AdditionalGuests
			}
		}
		b["attendees"] = toMap(mine)["attendees"]
	}
	return reflect.DeepEqual(a, b)
}

func sharedProps(ev *calendar.Event) map[string]string {
	if ev.ExtendedProperties == nil {
		return nil
	}
	return ev.ExtendedProperties.Shared
}

// significant changes bump the iCalendar sequence number.
func significant(prev, next *calendar.Event) bool {
	return !reflect.DeepEqual(prev.Start, next.Start) || !reflect.DeepEqual(prev.End, next.End) ||
		!reflect.DeepEqual(prev.Recurrence, next.Recurrence) || prev.Status != next.Status ||
		prev.Location != next.Location
}

// commit stores next in cal: the sequence goes up for changes of time,
// recurrence, status or place; a changed description is rewritten as the
// web UI would when SetHTMLDescriptions is on; and a change by the
// organizer reaches the other participants' copies.
func (s *Server) commit(cal *calendarState, next, prev *calendar.Event, share bool) {
	if prev != nil && significant(prev, next) {
		next.Sequence = prev.Sequence + 1
	}
	if s.html && (prev == nil || prev.Description != next.Description) {
		next.Description = webUIHTML(next.Description)
	}
	s.store(cal, next)
	if share {
		s.propagate(cal, cal.events[next.Id].ev)
	}
}
