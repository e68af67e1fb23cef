package googletest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/calendar/v3"
)

// SplitSeries is Google's "this and following events" edit at the
// occurrence starting at: the series ends just before at (its rule gets an
// UNTIL one second earlier; a COUNT is turned into that UNTIL), its
// exceptions from at on are deleted, and a new recurring event starts at
// at, with the id "<eventID>_R<yyyymmddThhmmss>" and the old iCalUID with
// "_R<yyyymmddThhmmss>" added before "@google.com" (appended when the UID
// has no such suffix); the stamp is at in UTC. change, when not nil, edits
// the new series before it is created (its Start is at, its RRule what
// remains of the old rule). It returns the new event's id and iCalUID.
func (s *Server) SplitSeries(calID, eventID string, at time.Time, change func(*Recurring)) (newID, newUID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.mustCal(calID)
	old := s.mustFind(cal, eventID).ev
	if len(old.Recurrence) == 0 || old.RecurringEventId != "" {
		panic("googletest: " + eventID + " is not a recurring event")
	}
	stamp := at.UTC().Format("20060102T150405")
	r := continuation(old, at)
	r.ID = eventID + "_R" + stamp
	if change != nil {
		change(&r)
	}
	ended := cloneEvent(old)
	ended.Recurrence = endRule(old, at)
	s.commit(cal, ended, old, true)
	s.dropExceptionsFrom(cal, eventID, at)
	ev := s.eventFrom(cal, r)
	ev.ICalUID = splitUID(old.ICalUID, stamp)
	if err := validateEvent(ev); err != nil {
		panic("googletest: SplitSeries: " + err.Message)
	}
	s.commit(cal, ev, nil, true)
	return ev.Id, ev.ICalUID
}

func splitUID(uid, stamp string) string {
	if base, ok := strings.CutSuffix(uid, "@google.com"); ok {
		return base + "_R" + stamp + "@google.com"
	}
	return uid + "_R" + stamp
}

// ruleParts splits the RRULE line of a master into NAME=VALUE parts.
func ruleParts(ev *calendar.Event) []string {
	for _, l := range ev.Recurrence {
		if strings.HasPrefix(strings.ToUpper(l), "RRULE:") {
			return strings.Split(l[len("RRULE:"):], ";")
		}
	}
	return nil
}

func partValue(parts []string, key string) (string, bool) {
	for _, p := range parts {
		if k, v, _ := strings.Cut(p, "="); strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

func withoutParts(parts []string, keys ...string) []string {
	var out []string
	for _, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if !contains(keys, strings.ToUpper(k)) {
			out = append(out, p)
		}
	}
	return out
}

// continuation is the part of the old series from at on, as a new series.
func continuation(old *calendar.Event, at time.Time) Recurring {
	_, allDay, _ := parseEDT(old.Start)
	parts := ruleParts(old)
	rule := withoutParts(parts, "COUNT")
	if v, ok := partValue(parts, "COUNT"); ok {
		n, _ := strconv.Atoi(v)
		done := len(expand(old, window{}, at, maxInstances))
		rule = append(rule, fmt.Sprintf("COUNT=%d", max(n-done, 1)))
	}
	r := Recurring{
		Summary: old.Summary, Description: old.Description, Start: at, TZ: old.Start.TimeZone,
		Duration: duration(old), AllDay: allDay, RRule: strings.Join(rule, ";"),
		Organizer: old.Organizer.Email,
	}
	for _, a := range old.Attendees {
		if !sameEmail(a.Email, r.Organizer) {
			r.Attendees = append(r.Attendees, a.Email)
		}
	}
	return r
}

// endRule is the old recurrence ending one second before at (the day
// before, for all-day events).
func endRule(old *calendar.Event, at time.Time) []string {
	_, allDay, _ := parseEDT(old.Start)
	until := at.Add(-time.Second).UTC().Format(instanceStamp)
	if allDay {
		until = at.AddDate(0, 0, -1).Format(dateStamp)
	}
	rule := append(withoutParts(ruleParts(old), "COUNT", "UNTIL"), "UNTIL="+until)
	out := []string{"RRULE:" + strings.Join(rule, ";")}
	for _, l := range old.Recurrence {
		if !strings.HasPrefix(strings.ToUpper(l), "RRULE:") {
			out = append(out, l)
		}
	}
	return out
}

// dropExceptionsFrom deletes the exceptions of a split series that were
// meant for at or later.
func (s *Server) dropExceptionsFrom(cal *calendarState, masterID string, at time.Time) {
	for _, rec := range cal.sorted() {
		ev := rec.ev
		if ev.RecurringEventId != masterID || ev.Status == "cancelled" {
			continue
		}
		if orig, _, err := parseEDT(ev.OriginalStartTime); err == nil && !orig.Before(at) {
			gone := cloneEvent(ev)
			gone.Status = "cancelled"
			s.commit(cal, gone, ev, true)
		}
	}
}
