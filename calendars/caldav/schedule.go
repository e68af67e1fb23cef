package caldav

import (
	"bytes"
	"strings"
)

// Writing into an event on a server that schedules (RFC 6638).
//
// Servers with server-side scheduling (Fastmail and every Cyrus, iCloud,
// Nextcloud/sabre, DAViCal, SOGo) act on every change an organizer makes to
// a scheduling object resource (an event with ORGANIZER and ATTENDEEs):
// they compare the new version with the old one and send each attendee
// whose part changed an iTIP REQUEST, by iMIP mail ("Update: Ada / Bob
// 1:1") to an external attendee, into the scheduling inbox of one on the
// same server. What counts as a change is the server's: Cyrus counts
// DESCRIPTION (so every agenda write mails Bob), sabre/dav mails only for
// dates, rules and status but still updates local attendees' copies.
//
// CalDAV has no equivalent of Google's sendUpdates=none for one write.
// The only handle RFC 6638 gives is SCHEDULE-AGENT=CLIENT on an ATTENDEE,
// and it is not one: taking an attendee out of server scheduling in one
// occurrence is, to the server, removing them from it. Cyrus then sends
// that attendee an update with the occurrence as an EXDATE, which takes
// the meeting out of their calendar (checked against Cyrus 3.6); across
// the whole event it sends a CANCEL. The parameter also stays, so the
// organizer's own later changes to that occurrence would reach nobody.
// Schedule-Tag and If-Schedule-Tag-Match only keep an attendee's writes
// from clashing with the organizer's; they send nothing less.
//
// So the agenda is not written into an event the server schedules for
// someone: the writer treats it as not writable and the agenda goes to
// both participants by mail instead, which makes no scheduling message
// at all. Events whose attendees are already scheduled by the client
// (SCHEDULE-AGENT=CLIENT, as Thunderbird writes with client-side
// scheduling), and servers without scheduling (Radicale, Xandikos, Baïkal
// without its scheduling plugin), are written as before.

// ServerSchedules reports whether writing o would make the server send
// scheduling messages: the server told us it schedules the resource (a
// Schedule-Tag, which RFC 6638 3.2.10 makes servers return for scheduling
// object resources) and an attendee other than the organizer is scheduled
// by the server (no SCHEDULE-AGENT, or SCHEDULE-AGENT=SERVER).
func ServerSchedules(o Object) bool {
	if o.ScheduleTag == "" {
		return false
	}
	organizers, attendees := scheduledAddresses(o.Data)
	for _, a := range attendees {
		if !organizers[a] {
			return true
		}
	}
	return false
}

// scheduledAddresses reads the ORGANIZER addresses and the addresses of the
// ATTENDEEs the server schedules, lower case, from unfolded content lines.
func scheduledAddresses(data []byte) (organizers map[string]bool, attendees []string) {
	organizers = map[string]bool{}
	unfolded := bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n "), nil)
	unfolded = bytes.ReplaceAll(unfolded, []byte("\n\t"), nil)
	for _, line := range strings.Split(string(unfolded), "\n") {
		name, params, value := contentLine(line)
		switch name {
		case "ORGANIZER":
			organizers[address(value)] = true
		case "ATTENDEE":
			if agent := params["SCHEDULE-AGENT"]; agent == "" || agent == "SERVER" {
				attendees = append(attendees, address(value))
			}
		}
	}
	return organizers, attendees
}

// contentLine splits "NAME;P=V;Q=\"W\":value" into the upper-case name, the
// parameters (names and values upper case, quotes removed) and the value.
// A colon inside a quoted parameter value does not end the parameters.
func contentLine(line string) (string, map[string]string, string) {
	inQuote, end := false, -1
	for i, r := range line {
		if r == '"' {
			inQuote = !inQuote
		}
		if r == ':' && !inQuote {
			end = i
			break
		}
	}
	if end < 0 {
		return "", nil, ""
	}
	parts := strings.Split(line[:end], ";")
	params := map[string]string{}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, "=")
		params[strings.ToUpper(strings.TrimSpace(k))] = strings.ToUpper(strings.Trim(strings.TrimSpace(v), `"`))
	}
	return strings.ToUpper(strings.TrimSpace(parts[0])), params, line[end+1:]
}

func address(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	return strings.TrimPrefix(v, "mailto:")
}
