package google

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/oneonone/oneonone/calendars/ics"
)

// The engine reads every provider through iCalendar, so each Google event
// becomes one VCALENDAR with one VEVENT that says what the event says:
// a master with its recurrence lines, an exception with a RECURRENCE-ID
// from originalStartTime and the master's UID, a cancelled instance as a
// cancelled override. Occurrence keys then agree with CalDAV's for the
// same meeting. Lines are not folded: the reader takes long lines.

const (
	localLayout = "20060102T150405"
	utcLayout   = "20060102T150405Z"
	dateLayout  = "20060102"
)

// renderEvent writes ev as iCalendar. uid is the UID to use (the
// master's iCalUID for instances).
func renderEvent(ev *calendar.Event, uid string) ([]byte, error) {
	if uid == "" {
		return nil, errors.New("no iCalUID")
	}
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone//Google Calendar adapter//EN\r\nBEGIN:VEVENT\r\n")
	ics.Line(&b, "UID:"+ics.TextValue(uid))
	if t, err := time.Parse(time.RFC3339, ev.Updated); err == nil {
		ics.Line(&b, "DTSTAMP:"+t.UTC().Format(utcLayout))
	}
	if ev.Status == "cancelled" && ev.RecurringEventId != "" {
		if err := cancelledInstance(&b, ev); err != nil {
			return nil, err
		}
	} else if err := fullEvent(&b, ev); err != nil {
		return nil, err
	}
	b.WriteString("END:VEVENT\r\nEND:VCALENDAR\r\n")
	return []byte(b.String()), nil
}

// cancelledInstance is what a sparse cancelled instance says: which
// occurrence (originalStartTime) is gone.
func cancelledInstance(b *strings.Builder, ev *calendar.Event) error {
	if ev.OriginalStartTime == nil {
		return errors.New("cancelled instance without originalStartTime")
	}
	rid, err := dateTime("RECURRENCE-ID", ev.OriginalStartTime)
	if err != nil {
		return err
	}
	start, _ := dateTime("DTSTART", ev.OriginalStartTime)
	ics.Line(b, rid)
	ics.Line(b, start)
	ics.Line(b, "STATUS:CANCELLED")
	if ev.Sequence > 0 {
		ics.Line(b, fmt.Sprintf("SEQUENCE:%d", ev.Sequence))
	}
	return nil
}

func fullEvent(b *strings.Builder, ev *calendar.Event) error {
	if ev.RecurringEventId != "" && ev.OriginalStartTime != nil {
		rid, err := dateTime("RECURRENCE-ID", ev.OriginalStartTime)
		if err != nil {
			return err
		}
		ics.Line(b, rid)
	}
	start, err := dateTime("DTSTART", ev.Start)
	if err != nil {
		return err
	}
	ics.Line(b, start)
	if end, err := dateTime("DTEND", ev.End); err == nil {
		ics.Line(b, end)
	}
	for _, r := range ev.Recurrence {
		if recurrenceLine(r) {
			ics.Line(b, r)
		}
	}
	ics.TextProp(b, "SUMMARY", ev.Summary)
	ics.TextProp(b, "DESCRIPTION", ev.Description)
	ics.TextProp(b, "LOCATION", ev.Location)
	if s := statusOf(ev.Status); s != "" {
		ics.Line(b, "STATUS:"+s)
	}
	ics.Line(b, fmt.Sprintf("SEQUENCE:%d", ev.Sequence))
	if ev.Organizer != nil && ev.Organizer.Email != "" {
		ics.Line(b, "ORGANIZER"+ics.CN(ev.Organizer.DisplayName)+":"+ics.Mailto(ev.Organizer.Email))
	}
	for _, a := range ev.Attendees {
		if a.Email != "" {
			ics.Line(b, attendeeLine(a))
		}
	}
	return nil
}

// dateTime renders an EventDateTime: a DATE for all-day, local time with
// the TZID of timeZone when Go knows that zone, else UTC.
func dateTime(name string, dt *calendar.EventDateTime) (string, error) {
	if dt == nil {
		return "", fmt.Errorf("%s missing", strings.ToLower(name))
	}
	if dt.Date != "" {
		d, err := time.Parse("2006-01-02", dt.Date)
		if err != nil {
			return "", fmt.Errorf("%s date %q: %w", strings.ToLower(name), dt.Date, err)
		}
		return name + ";VALUE=DATE:" + d.Format(dateLayout), nil
	}
	loc := zone(dt.TimeZone)
	t, err := time.Parse(time.RFC3339, dt.DateTime)
	if err != nil && loc != nil {
		// "The time zone offset is required unless a time zone is
		// explicitly specified in timeZone."
		t, err = time.ParseInLocation("2006-01-02T15:04:05", dt.DateTime, loc)
	}
	if err != nil {
		return "", fmt.Errorf("%s %q: %w", strings.ToLower(name), dt.DateTime, err)
	}
	if loc == nil {
		return name + ":" + t.UTC().Format(utcLayout), nil
	}
	return name + ";TZID=" + dt.TimeZone + ":" + t.In(loc).Format(localLayout), nil
}

// zone loads an IANA name that can stand unquoted in a TZID parameter.
func zone(name string) *time.Location {
	if name == "" || strings.ContainsAny(name, "\";:,\r\n") {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// recurrenceLine accepts the RFC 5545 lines Google keeps in recurrence,
// which are copied as they are.
func recurrenceLine(l string) bool {
	if strings.ContainsAny(l, "\r\n") {
		return false
	}
	name := strings.ToUpper(l)
	if i := strings.IndexAny(name, ";:"); i > 0 {
		name = name[:i]
	}
	switch name {
	case "RRULE", "EXRULE", "RDATE", "EXDATE":
		return true
	}
	return false
}

func statusOf(s string) string {
	switch s {
	case "confirmed", "tentative", "cancelled":
		return strings.ToUpper(s)
	}
	return ""
}

var partStats = map[string]string{
	"needsAction": "NEEDS-ACTION", "declined": "DECLINED", "tentative": "TENTATIVE", "accepted": "ACCEPTED",
}

func attendeeLine(a *calendar.EventAttendee) string {
	var b strings.Builder
	b.WriteString("ATTENDEE" + ics.CN(a.DisplayName))
	if a.Resource {
		b.WriteString(";CUTYPE=RESOURCE")
	}
	if a.Optional {
		b.WriteString(";ROLE=OPT-PARTICIPANT")
	}
	if ps := partStats[a.ResponseStatus]; ps != "" {
		b.WriteString(";PARTSTAT=" + ps)
	}
	b.WriteString(":" + ics.Mailto(a.Email))
	return b.String()
}
