package graphtest

// Rendering follows "event resource type" (property names and shapes,
// dateTimeTimeZone with 7 fractional digits, @odata.etag W/"changeKey"),
// "Get event" ("Prefer: outlook.timezone" sets the zone of start and end,
// which are UTC otherwise; "Prefer: outlook.body-content-type" = "text" or
// "html" (the default) sets the body's format, confirmed by
// Preference-Applied) and "calendarView delta". The delta page's samples
// show a subset of properties "for brevity"; the service is reported (and
// issue 15 builds on it) to send occurrences with only id, type,
// seriesMasterId, start and end, so the fake does exactly that and a client
// must read the rest from the series master; series masters, exceptions and
// single instances carry full properties. An occurrence read by GET takes
// its master's properties and etag.

import (
	"strings"
	"time"
)

// prefs are the Prefer header's settings for one request.
type prefs struct {
	zone     string // outlook.timezone; "" = UTC
	text     bool   // outlook.body-content-type="text"
	pageSize int    // odata.maxpagesize; 0 = unset
	applied  []string
}

const graphTime = "2006-01-02T15:04:05.0000000"

func (p prefs) dateTime(t time.Time) map[string]any {
	name := p.zone
	if name == "" {
		name = "UTC"
	}
	return map[string]any{"dateTime": t.In(zoneLoc(name)).Format(graphTime), "timeZone": name}
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

func emailAddress(a Attendee) map[string]any {
	return map[string]any{"name": a.Name, "address": a.Address}
}

// renderOccurrence is an occurrence as delta sends it.
func (p prefs) renderOccurrence(e entry) map[string]any {
	return map[string]any{"@odata.type": "#microsoft.graph.event", "id": e.id, "type": "occurrence",
		"seriesMasterId": e.it.id, "start": p.dateTime(e.start), "end": p.dateTime(e.end)}
}

// renderFull is the full event (an occurrence takes its master's
// properties).
func (s *Server) renderFull(mb *mailbox, p prefs, e entry) map[string]any {
	it := e.it
	body := map[string]any{"contentType": "html", "content": it.bodyHTML}
	if p.text {
		body = map[string]any{"contentType": "text", "content": htmlToText(it.bodyHTML)}
	}
	atts := make([]map[string]any, 0, len(it.attendees))
	for _, a := range it.attendees {
		atts = append(atts, map[string]any{"type": a.Type, "emailAddress": emailAddress(a),
			"status": map[string]any{"response": a.Response, "time": "0001-01-01T00:00:00Z"}})
	}
	ev := map[string]any{
		"@odata.type":                "#microsoft.graph.event",
		"@odata.etag":                it.etag(),
		"id":                         e.id,
		"createdDateTime":            stamp(it.created),
		"lastModifiedDateTime":       stamp(it.modified),
		"changeKey":                  it.changeKey,
		"categories":                 []string{},
		"transactionId":              nil,
		"originalStartTimeZone":      orUTC(it.zone),
		"originalEndTimeZone":        orUTC(it.zone),
		"iCalUId":                    it.iCalUID,
		"reminderMinutesBeforeStart": 15,
		"isReminderOn":               true,
		"hasAttachments":             false,
		"subject":                    it.subject,
		"bodyPreview":                preview(htmlToText(it.bodyHTML)),
		"importance":                 "normal",
		"sensitivity":                "normal",
		"isAllDay":                   false,
		"isCancelled":                it.isCancelled,
		"isOrganizer":                it.isOrganizer,
		"responseRequested":          true,
		"seriesMasterId":             nil,
		"showAs":                     "busy",
		"type":                       e.kind,
		"webLink":                    s.URL + "/owa/?itemid=" + e.id,
		"onlineMeetingUrl":           nil,
		"isOnlineMeeting":            false,
		"onlineMeetingProvider":      "unknown",
		"allowNewTimeProposals":      true,
		"isDraft":                    false,
		"hideAttendees":              false,
		"responseStatus":             map[string]any{"response": it.response, "time": "0001-01-01T00:00:00Z"},
		"body":                       body,
		"start":                      p.dateTime(e.start),
		"end":                        p.dateTime(e.end),
		"location":                   map[string]any{"displayName": it.location, "locationType": "default", "uniqueIdType": "unknown"},
		"locations":                  []any{},
		"recurrence":                 nil,
		"attendees":                  atts,
		"organizer":                  map[string]any{"emailAddress": emailAddress(it.organizer)},
		"onlineMeeting":              nil,
	}
	switch e.kind {
	case "seriesMaster":
		ev["recurrence"] = renderRecurrence(it)
	case "occurrence", "exception":
		ev["seriesMasterId"] = seriesMasterID(e)
		ev["originalStart"] = e.originalStart.UTC().Format("2006-01-02T15:04:05Z")
		ev["iCalUId"] = instanceICalUID(it.iCalUID, e.originalStart.In(zoneLoc(it.zone)))
	}
	return ev
}

func seriesMasterID(e entry) string {
	if e.kind == "occurrence" {
		return e.it.id
	}
	return e.it.masterID
}

func orUTC(z string) string {
	if z == "" {
		return "UTC"
	}
	return z
}

func preview(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 255 {
		return string(r[:255])
	}
	return s
}

var weekdayNames = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func renderRecurrence(it *item) map[string]any {
	r := it.rec
	days := []string{}
	if r.Pattern == "weekly" {
		wd := r.DaysOfWeek
		if len(wd) == 0 {
			wd = []time.Weekday{it.start.In(zoneLoc(it.zone)).Weekday()}
		}
		for _, d := range wd {
			days = append(days, weekdayNames[d])
		}
	}
	rng := map[string]any{"type": "noEnd", "startDate": it.start.In(zoneLoc(it.zone)).Format("2006-01-02"),
		"endDate": "0001-01-01", "recurrenceTimeZone": orUTC(it.zone), "numberOfOccurrences": 0}
	switch {
	case !r.Until.IsZero():
		rng["type"], rng["endDate"] = "endDate", r.Until.Format("2006-01-02")
	case r.Count > 0:
		rng["type"], rng["numberOfOccurrences"] = "numbered", r.Count
	}
	return map[string]any{
		"pattern": map[string]any{"type": r.Pattern, "interval": max(r.Interval, 1), "month": 0,
			"dayOfMonth": 0, "daysOfWeek": days, "firstDayOfWeek": "sunday", "index": "first"},
		"range": rng,
	}
}
