package graphtest

// Update messages follow "Update event" and "event: cancel": Graph documents
// no way for an organizer to change a meeting with attendees without
// sending them an update (unlike Google's sendUpdates=none); an organizer's
// PATCH of subject, body, start, end, location or attendees sends every
// attendee an updated meeting request, and a DELETE or cancel sends a
// cancellation. An attendee's change to their own copy sends nothing. The
// fake counts these messages instead of sending them.

import "time"

// Where a counted message came from.
const (
	ViaGraph    = "graph"    // a request to the Graph API (the client under test)
	ViaScenario = "scenario" // a test API call (what a person did in Outlook)

	KindUpdate = "update"
	KindCancel = "cancel"
)

// Notification is one meeting message an attendee would have received.
type Notification struct {
	To            string
	ICalUID       string
	OriginalStart time.Time // zero for the whole meeting
	Kind          string    // KindUpdate or KindCancel
	Via           string    // ViaGraph or ViaScenario
}

// Notifications lists every message counted so far.
func (s *Server) Notifications() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Notification(nil), s.notes...)
}

// GraphNotifications counts the messages that Graph requests caused: what a
// client's writes cost attendees.
func (s *Server) GraphNotifications() int {
	n := 0
	for _, m := range s.Notifications() {
		if m.Via == ViaGraph {
			n++
		}
	}
	return n
}

// notifyAttendees counts one message per attendee of the organizer's item.
func (s *Server) notifyAttendees(org *item, originalStart time.Time, via, kind string) {
	for _, a := range org.attendees {
		if a.Address == org.organizer.Address {
			continue
		}
		s.notes = append(s.notes, Notification{To: a.Address, ICalUID: org.iCalUID,
			OriginalStart: originalStart, Kind: kind, Via: via})
	}
}
