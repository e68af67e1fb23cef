package graphtest

// The event model follows "event resource type" and "Schedule repeating
// appointments as recurring events in Outlook": a recurring series is one
// seriesMaster item with a recurrence (pattern + range); its instances are
// occurrences computed from it, and an instance that differs from the
// pattern is stored as an exception (type "exception", seriesMasterId, its
// originalStart). Every attendee's mailbox holds its own copy of a meeting,
// with its own ids and the same iCalUId for the series; each instance's
// iCalUId differs from the series' ("iCalUId: … different for each
// occurrence in a recurring series"; Exchange's global object id carries the
// instance date). v1.0 has no uid property. Occurrence ids are derived from
// the master's id and the original start, so moving a whole series gives
// its occurrences new ids.

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Attendee types and responses as Graph names them.
const (
	TypeRequired = "required"
	TypeOptional = "optional"
	TypeResource = "resource"

	ResponseNone         = "none"
	ResponseOrganizer    = "organizer"
	ResponseAccepted     = "accepted"
	ResponseTentative    = "tentativelyAccepted"
	ResponseDeclined     = "declined"
	ResponseNotResponded = "notResponded"
)

// Attendee is one attendee of an event.
type Attendee struct {
	Address  string
	Name     string
	Type     string // TypeRequired, TypeOptional or TypeResource (a room)
	Response string // ResponseAccepted, …
}

type mailbox struct {
	id, address, name, tenantID, calendarID string

	items  map[string]*item // masters, single instances and exceptions by id
	denied bool             // an application access policy excludes it
}

// item is a stored event: a single instance, a series master or an exception.
type item struct {
	id, kind, iCalUID, masterID string
	subject, bodyHTML, location string
	start, end                  time.Time // in zone
	zone                        string    // Windows (or IANA) name as given
	originalStart               time.Time // exceptions: the instance it replaces (UTC)
	rec                         *Recurrence
	organizer                   Attendee
	isOrganizer                 bool
	attendees                   []Attendee
	response                    string // this mailbox's response
	isCancelled                 bool
	removed                     map[int64]bool // masters: original starts (unix) deleted from this calendar
	version                     int64
	changeKey                   string
	created, modified           time.Time
}

// Recurrence is a recurrence pattern and range (daily or weekly).
type Recurrence struct {
	Pattern    string         // "daily" or "weekly"
	Interval   int            // 1 when 0
	DaysOfWeek []time.Weekday // weekly: the start's weekday when empty
	Until      time.Time      // range endDate (a date in the event's zone); zero = none
	Count      int            // range numbered; 0 = none
}

// AddMailbox creates a user with a default calendar in a tenant and returns
// the user's id (a GUID). Requests may name the user by id or address.
func (s *Server) AddMailbox(tenantName, address, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[strings.ToLower(tenantName)]
	if t == nil {
		panic("graphtest: AddMailbox: no tenant " + tenantName)
	}
	mb := &mailbox{id: newID(), address: strings.ToLower(address), name: name, tenantID: t.id,
		calendarID: "AAMkAGcal" + randomB64(24), items: map[string]*item{}}
	s.boxes[mb.id] = mb
	s.boxes[mb.address] = mb
	return mb.id
}

func randomB64(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newEventID looks like Outlook's ids: long, opaque, ending in "=".
func newEventID() string { return "AAMkAGI2" + randomB64(42) + "=" }

// occurrenceID names an instance of master; exceptions keep it.
func occurrenceID(masterID string, originalStart time.Time) string {
	raw := masterID + "|" + originalStart.UTC().Format("20060102T150405")
	return "AAMkOcc" + base64.RawURLEncoding.EncodeToString([]byte(raw)) + "="
}

// parseOccurrenceID reverses occurrenceID.
func parseOccurrenceID(id string) (masterID string, originalStart time.Time, ok bool) {
	rest, found := strings.CutPrefix(id, "AAMkOcc")
	if !found {
		return "", time.Time{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSuffix(rest, "="))
	if err != nil {
		return "", time.Time{}, false
	}
	m, ts, found := strings.Cut(string(raw), "|")
	t, err := time.Parse("20060102T150405", ts)
	if !found || err != nil {
		return "", time.Time{}, false
	}
	return m, t, true
}

// goidClass starts every Exchange global object id.
const goidClass = "040000008200E00074C5B7101A82E008"

// newICalUID makes a series-level id (instance date zero).
func newICalUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return goidClass + "00000000" + "00000000000000000000000000000000" + "10000000" + strings.ToUpper(hex.EncodeToString(b))
}

// instanceICalUID puts an instance date into a series' id, as Exchange does.
func instanceICalUID(series string, originalStart time.Time) string {
	if len(series) < len(goidClass)+8 || !strings.HasPrefix(series, goidClass) {
		return series
	}
	y, m, d := originalStart.Date()
	return goidClass + fmt.Sprintf("%04X%02X%02X", y, int(m), d) + series[len(goidClass)+8:]
}

// touch records a change to it: a new version and change key.
func (s *Server) touch(it *item) {
	s.seq++
	it.version = s.seq
	it.changeKey = base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("graphtest-%012d", s.seq)))
	it.modified = s.now()
}

func (it *item) etag() string { return `W/"` + it.changeKey + `"` }

// clone copies an item (attendee slices included).
func (it *item) clone() *item {
	c := *it
	c.attendees = append([]Attendee(nil), it.attendees...)
	c.removed = nil
	return &c
}
