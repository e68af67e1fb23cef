package googletest

import (
	"time"

	"google.golang.org/api/calendar/v3"
)

// render is the copy of ev that cal's owner sees: organizer.self,
// creator.self and attendees[].self/organizer filled in, and date-times
// shown in tz when the request asked for a timeZone.
func render(cal *calendarState, ev *calendar.Event, tz *time.Location) *calendar.Event {
	out := cloneEvent(ev)
	org := ""
	if out.Organizer != nil {
		org = out.Organizer.Email
		out.Organizer.Self = sameEmail(org, cal.owner)
	}
	if out.Creator != nil {
		out.Creator.Self = sameEmail(out.Creator.Email, cal.owner)
	}
	for _, a := range out.Attendees {
		a.Self = sameEmail(a.Email, cal.owner)
		a.Organizer = sameEmail(a.Email, org)
	}
	if tz != nil {
		for _, dt := range []*calendar.EventDateTime{out.Start, out.End, out.OriginalStartTime} {
			inZone(dt, tz)
		}
	}
	return out
}

func inZone(dt *calendar.EventDateTime, tz *time.Location) {
	if dt == nil || dt.DateTime == "" {
		return
	}
	if t, _, err := parseEDT(dt); err == nil {
		dt.DateTime = t.In(tz).Format(time.RFC3339)
	}
}

// sparse is a cancelled instance as lists return it: only kind, etag, id,
// status, recurringEventId and originalStartTime.
func sparse(ev *calendar.Event) *calendar.Event {
	return &calendar.Event{
		Kind: "calendar#event", Etag: ev.Etag, Id: ev.Id, Status: "cancelled",
		RecurringEventId: ev.RecurringEventId, OriginalStartTime: ev.OriginalStartTime,
	}
}

// minimal is a deleted event as incremental lists without showDeleted
// return it: "Deleted events are only guaranteed to have the id field
// populated."
func minimal(ev *calendar.Event) *calendar.Event {
	return &calendar.Event{Kind: "calendar#event", Etag: ev.Etag, Id: ev.Id, Status: "cancelled"}
}

// span is the [start, end) of an event as instants; dates are read in loc
// (the calendar's time zone), as all-day events are.
func span(ev *calendar.Event, loc *time.Location) (time.Time, time.Time, bool) {
	start, allDay, err1 := parseEDT(ev.Start)
	end, _, err2 := parseEDT(ev.End)
	if err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}, false
	}
	if allDay {
		start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
		end = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, loc)
	}
	return start, end, true
}

// originalSpan is where a (possibly cancelled) instance was meant to be.
func originalSpan(inst, master *calendar.Event, loc *time.Location) (time.Time, time.Time, bool) {
	if inst.OriginalStartTime == nil || master == nil {
		return span(inst, loc)
	}
	probe := &calendar.Event{Start: inst.OriginalStartTime, End: inst.OriginalStartTime}
	start, _, ok := span(probe, loc)
	return start, start.Add(duration(master)), ok
}

// window is the time filter of a list: an event is in it when it ends
// after min (or at min, when inclusive) and starts before max.
type window struct {
	min, max  time.Time
	inclusive bool
}

func (w window) contains(start, end time.Time) bool {
	if !w.max.IsZero() && !start.Before(w.max) {
		return false
	}
	if w.min.IsZero() {
		return true
	}
	return end.After(w.min) || (w.inclusive && end.Equal(w.min))
}

func (cal *calendarState) loc() *time.Location {
	if l, err := time.LoadLocation(cal.timeZone); err == nil {
		return l
	}
	return time.UTC
}

// eventsResponse is the Events collection (kind "calendar#events").
type eventsResponse struct {
	Kind             string            `json:"kind"`
	Etag             string            `json:"etag"`
	Summary          string            `json:"summary"`
	Description      string            `json:"description"`
	Updated          string            `json:"updated"`
	TimeZone         string            `json:"timeZone"`
	AccessRole       string            `json:"accessRole"`
	DefaultReminders []any             `json:"defaultReminders"`
	NextPageToken    string            `json:"nextPageToken,omitempty"`
	NextSyncToken    string            `json:"nextSyncToken,omitempty"`
	Items            []*calendar.Event `json:"items"`
}

func (s *Server) eventsEnvelope(cal *calendarState, subject string) *eventsResponse {
	role := "writer"
	if sameEmail(cal.owner, subject) {
		role = "owner"
	}
	return &eventsResponse{
		Kind: "calendar#events", Etag: `"p` + cal.updated.Format("20060102150405") + `"`,
		Summary: cal.id, Updated: cal.updated.Format(googleTime), TimeZone: cal.timeZone,
		AccessRole: role, DefaultReminders: []any{}, Items: []*calendar.Event{},
	}
}
