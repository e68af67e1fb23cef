package calendars

import (
	"errors"
	"time"
)

// Meeting is one occurrence of a tracked 1:1, as the sync engine stores
// it and prep reads it. It is identified by (SeriesUID, RecurrenceID),
// which never changes when the occurrence moves.
type Meeting struct {
	SeriesUID    string
	RecurrenceID string    // the occurrence key: UTC RFC 3339, or a date for all-day
	Start, End   time.Time // the current (possibly moved) times, in the series' zone
	TimeZone     string    // IANA name, "" when unknown (use the configured default)
	Summary      string
	Calendar     string    // config name of the writable copy's calendar
	Organizer    string    // email
	People       [2]Person // sorted by email
	State        string    // scheduled | moved | cancelled | declined | held | superseded
	// Number is this occurrence's position among the pair's meetings in
	// this series (1-based, counting only meetings not cancelled), for
	// cadences such as "every 4th meeting".
	Number int
}

// Cancelled reports whether the meeting will not take place.
func (m Meeting) Cancelled() bool {
	return m.State == "cancelled" || m.State == "declined" || m.State == "superseded"
}

// ErrNoMeeting is returned for an occurrence the store does not know.
var ErrNoMeeting = errors.New("prep: no such meeting")

// What a person can answer to "did your 1:1 happen?".
const (
	OutcomeHeld    = "held"
	OutcomeNotHeld = "not_held"
	OutcomeMoved   = "moved" // moved to another time
)

// PastMeeting is an occurrence of a pair with what became of it.
type PastMeeting struct {
	Meeting
	// Status is held, not_held, cancelled, declined, moved (still to
	// come, at another time), scheduled or superseded.
	Status string
	// Moved: it was moved at some point, whatever became of it then.
	Moved bool
	// NoticeHours is how long before its start the last move or
	// cancellation was seen; nil when there was none or it is unknown.
	NoticeHours *float64
}

// The statuses of PastMeeting.
const (
	PastHeld      = "held"
	PastNotHeld   = "not_held"
	PastCancelled = "cancelled"
	PastDeclined  = "declined"
	PastMoved     = "moved"
	PastScheduled = "scheduled"
)

// PairStreak is a pair's recent record, for a nudge.
type PairStreak struct {
	People    [2]Person // sorted by email
	SeriesUID string    // the pair's latest series: pauses of it stop nudges
	Summary   string
	// Streak is how many occurrences in a row did not happen, and
	// StreakStart the key of the first of them: one nudge per streak.
	Streak      int
	StreakStart string
	// Held and Missed count the last (up to) 8 occurrences with an
	// outcome: held, or cancelled/declined/not held.
	Held, Missed int
	// TypicalNoticeHours is the median notice of cancellations and moves;
	// nil when none gave any.
	TypicalNoticeHours *float64
}
