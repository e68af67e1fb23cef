// Package calendars is the provider-neutral model of recurring meetings:
// series, their occurrences, the people in them, the expansion of a series
// into occurrences inside a window, and the rules that decide which series
// are 1:1s. It does no I/O; the adapters in its subpackages fill it.
package calendars

import "time"

// Status is the status of a series or of one occurrence.
type Status string

const (
	StatusConfirmed Status = "confirmed"
	StatusTentative Status = "tentative"
	StatusCancelled Status = "cancelled"
)

// Kind says what an attendee is (RFC 5545 CUTYPE).
type Kind string

const (
	KindIndividual Kind = "individual"
	KindGroup      Kind = "group"
	KindRoom       Kind = "room"
	KindResource   Kind = "resource"
	KindUnknown    Kind = "unknown"
)

// PartStat is an attendee's participation status, lower case
// ("accepted", "declined", "tentative", "needs-action", "delegated").
type PartStat string

const (
	PartAccepted    PartStat = "accepted"
	PartDeclined    PartStat = "declined"
	PartTentative   PartStat = "tentative"
	PartNeedsAction PartStat = "needs-action"
	PartDelegated   PartStat = "delegated"
)

// Person is someone named by an email address.
type Person struct {
	Email string // normalized: lower case, no "mailto:"
	Name  string
}

// Attendee is a person, room or resource invited to an event.
type Attendee struct {
	Person
	Kind     Kind
	PartStat PartStat
	Role     string // lower case: "req-participant", "opt-participant", "chair", "non-participant"
}

// Human reports whether the attendee is a person rather than a room, a
// resource or a mailing list.
func (a Attendee) Human() bool {
	return a.Kind == KindIndividual || a.Kind == KindUnknown
}

// Time is a start or end as the calendar states it.
type Time struct {
	T      time.Time // in the event's own location; midnight UTC for dates
	AllDay bool      // a DATE value
}

// Period is an RDATE: an extra occurrence, optionally with its own end.
type Period struct {
	Start time.Time
	End   time.Time // zero when the RDATE is a plain date or date-time
}

// ExDate is an excluded occurrence. A DATE excludes the occurrence on
// that local date even in a series with times (as Outlook writes them).
type ExDate struct {
	T    time.Time
	Date bool
}

// Details are the fields an override may change for its occurrence.
type Details struct {
	Summary     string
	Description string
	Location    string
	Status      Status
	Organizer   Person
	Attendees   []Attendee
	Sequence    int
}

// Override is an exception to a series: one occurrence, identified by its
// original start (RECURRENCE-ID, Google's originalStartTime), moved,
// retitled or cancelled. With ThisAndFuture it applies to every later
// occurrence too.
type Override struct {
	RecurrenceID time.Time // original start, any location; compared as an instant (as a date for all-day series)
	// RecurrenceIDDate is set when the RECURRENCE-ID is a DATE: it then
	// names the occurrence on that local date, whatever the series' type.
	RecurrenceIDDate bool
	ThisAndFuture    bool
	Start, End       time.Time
	Details
}

// Series is one recurring event (or a single event), keyed by its
// iCalendar UID, as one calendar holds it.
type Series struct {
	UID      string
	Location *time.Location // the zone wall-clock recurrence happens in
	TimeZone string         // IANA name of Location, "" for floating or custom zones
	AllDay   bool
	Floating bool
	Start    time.Time     // DTSTART in Location
	Duration time.Duration // DTEND-DTSTART, or DURATION
	Rules    []Rule        // RRULEs (several are allowed and unioned)
	RDates   []Period
	ExDates  []ExDate
	Details
	Overrides []Override
	// MoreAttendees counts the attendees beyond MaxAttendees, not read.
	MoreAttendees int
	// Partial is set when only overrides were seen, no master: the
	// series has no instances of its own.
	Partial bool
	// Problems found while building the series that did not stop it from
	// being expanded (e.g. COUNT together with UNTIL).
	Problems []string
	// file and line locate the component the series was read from.
	file string
	line int
}

// Problem is a problem with the series as a whole, located where it was
// read (e.g. why ExpandBounded cut it short).
func (s *Series) Problem(msg string) Problem {
	return Problem{File: s.file, Line: s.line, UID: s.UID, Message: msg, Limit: true}
}

// Recurring reports whether the series repeats.
func (s *Series) Recurring() bool {
	return len(s.Rules) > 0 || len(s.RDates) > 0 || len(s.Overrides) > 0
}

// Occurrence is one instance of a series.
type Occurrence struct {
	// Key is the original start as a UTC instant (for all-day series the
	// date at midnight UTC). It never changes when the occurrence moves.
	Key        time.Time
	Start, End time.Time // in the series' location (UTC midnight dates for all-day)
	AllDay     bool
	Moved      bool // an override changed its start
	Overridden bool
	Details
}
