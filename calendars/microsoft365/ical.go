package microsoft365

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/ics"
)

// The engine reads every provider through iCalendar, so each Graph
// series becomes a VEVENT with an RRULE (from its patternedRecurrence)
// under the series' iCalUId, and each exception or deleted occurrence an
// override with a RECURRENCE-ID from its originalStart under that same
// UID: occurrence keys then agree with CalDAV's and Google's for the same
// meeting. Lines are not folded: the reader takes long lines.

// renderMaster writes a seriesMaster as iCalendar. owner is the mailbox
// address, whose own answer (responseStatus) is its attendee's PARTSTAT.
func renderMaster(m *event, owner string) ([]byte, error) {
	if m.ICalUID == "" {
		return nil, errors.New("no iCalUId")
	}
	if m.Recurrence == nil {
		return nil, errors.New("series master without recurrence")
	}
	loc, iana := zoneOf(m)
	rule, err := rrule(m.Recurrence, m.IsAllDay, loc)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	begin(&b, m.ICalUID, m.LastModified)
	if err := times(&b, m, m, loc, iana); err != nil {
		return nil, err
	}
	ics.Line(&b, rule)
	details(&b, m, m, owner)
	return end(&b), nil
}

// renderException writes one exception of master (sparse fields taken
// from the master) as an override.
func renderException(ex, master *event, owner string) ([]byte, error) {
	rid, err := originalStart(ex)
	if err != nil {
		return nil, err
	}
	loc, iana := zoneOf(master)
	var b strings.Builder
	begin(&b, master.ICalUID, ex.LastModified)
	ics.Line(&b, timeProp("RECURRENCE-ID", rid, master.IsAllDay, loc, iana))
	if err := times(&b, ex, master, loc, iana); err != nil {
		return nil, err
	}
	details(&b, ex, master, owner)
	return end(&b), nil
}

// renderCancelled writes a deleted occurrence of master as a cancelled
// override.
func renderCancelled(master *event, rid time.Time) []byte {
	loc, iana := zoneOf(master)
	var b strings.Builder
	begin(&b, master.ICalUID, "")
	ics.Line(&b, timeProp("RECURRENCE-ID", rid, master.IsAllDay, loc, iana))
	ics.Line(&b, timeProp("DTSTART", rid, master.IsAllDay, loc, iana))
	ics.Line(&b, "STATUS:CANCELLED")
	return end(&b)
}

// renderDeclined writes an occurrence gone from an attendee's own copy
// as what it means there: Outlook removes an occurrence its attendee
// declined (or deleted, which declines it), while one its organizer
// cancelled stays, marked cancelled. The override keeps the occurrence
// where the series has it, with the owner's answer declined.
func renderDeclined(master *event, rid time.Time, owner string) []byte {
	loc, iana := zoneOf(master)
	var b strings.Builder
	begin(&b, master.ICalUID, "")
	ics.Line(&b, timeProp("RECURRENCE-ID", rid, master.IsAllDay, loc, iana))
	ics.Line(&b, timeProp("DTSTART", rid, master.IsAllDay, loc, iana))
	if s, err1 := instant(master.Start); err1 == nil {
		if e, err2 := instant(master.End); err2 == nil && e.After(s) {
			ics.Line(&b, timeProp("DTEND", rid.Add(e.Sub(s)), master.IsAllDay, loc, iana))
		}
	}
	declined := *master
	declined.ResponseStatus = &responseStatus{Response: "declined"}
	declined.IsCancelled = false
	details(&b, &declined, &declined, owner)
	return end(&b)
}

// originalStart is where an occurrence or exception sits in its series:
// originalStart, else (a plain occurrence) its start.
func originalStart(ev *event) (time.Time, error) {
	if ev.OriginalStart != "" {
		return offsetTime(ev.OriginalStart)
	}
	if ev.Type == "occurrence" {
		return instant(ev.Start)
	}
	return time.Time{}, fmt.Errorf("%s %s without originalStart", ev.Type, ev.ID)
}

func begin(b *strings.Builder, uid, modified string) {
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone//Microsoft 365 adapter//EN\r\nBEGIN:VEVENT\r\n")
	ics.Line(b, "UID:"+ics.TextValue(uid))
	if t, err := offsetTime(modified); err == nil {
		ics.Line(b, "DTSTAMP:"+t.UTC().Format(utcLayout))
	}
}

func end(b *strings.Builder) []byte {
	b.WriteString("END:VEVENT\r\nEND:VCALENDAR\r\n")
	return []byte(b.String())
}

// times writes DTSTART and DTEND of ev; all-day follows the master.
func times(b *strings.Builder, ev, master *event, loc *time.Location, iana string) error {
	start, err := instant(ev.Start)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	ics.Line(b, timeProp("DTSTART", start, master.IsAllDay, loc, iana))
	if e, err := instant(ev.End); err == nil && e.After(start) {
		ics.Line(b, timeProp("DTEND", e, master.IsAllDay, loc, iana))
	}
	return nil
}

// details writes what people see: title, body, place, status, organizer
// and attendees, each from ev or, when ev came without it, from master.
func details(b *strings.Builder, ev, master *event, owner string) {
	src := ev
	if sparse(ev) {
		src = master
	}
	ics.TextProp(b, "SUMMARY", src.Subject)
	if src.Body != nil {
		ics.TextProp(b, "DESCRIPTION", src.Body.Content)
	}
	if src.Location != nil {
		ics.TextProp(b, "LOCATION", src.Location.DisplayName)
	}
	if ev.IsCancelled {
		ics.Line(b, "STATUS:CANCELLED")
	} else {
		ics.Line(b, "STATUS:CONFIRMED")
	}
	if o := src.Organizer; o != nil && o.EmailAddress.Address != "" {
		ics.Line(b, "ORGANIZER"+ics.CN(o.EmailAddress.Name)+":"+ics.Mailto(o.EmailAddress.Address))
	}
	mine := ""
	if ev.ResponseStatus != nil {
		mine = ev.ResponseStatus.Response
	} else if master.ResponseStatus != nil {
		mine = master.ResponseStatus.Response
	}
	for _, a := range src.Attendees {
		if a.EmailAddress.Address != "" {
			ics.Line(b, attendeeLine(a, owner, mine))
		}
	}
}

// sparse is an instance as delta returns it: ids and times only.
func sparse(ev *event) bool {
	return ev.Subject == "" && ev.Body == nil && ev.Attendees == nil && ev.Organizer == nil
}

var partStats = map[string]string{"none": "NEEDS-ACTION", "notResponded": "NEEDS-ACTION", "organizer": "ACCEPTED",
	"accepted": "ACCEPTED", "tentativelyAccepted": "TENTATIVE", "declined": "DECLINED"}

// attendeeLine renders one attendee; the mailbox owner's line carries
// the owner's own answer, which Graph keeps in the event's
// responseStatus rather than in the attendee list of their copy.
func attendeeLine(a attendee, owner, mine string) string {
	var b strings.Builder
	b.WriteString("ATTENDEE" + ics.CN(a.EmailAddress.Name))
	switch a.Type {
	case "resource":
		b.WriteString(";CUTYPE=RESOURCE")
	case "optional":
		b.WriteString(";ROLE=OPT-PARTICIPANT")
	}
	resp := ""
	if a.Status != nil {
		resp = a.Status.Response
	}
	if mine != "" && mine != "none" && strings.EqualFold(a.EmailAddress.Address, owner) {
		resp = mine
	}
	if ps := partStats[resp]; ps != "" {
		b.WriteString(";PARTSTAT=" + ps)
	}
	b.WriteString(":" + ics.Mailto(a.EmailAddress.Address))
	return b.String()
}
