// Package prep turns upcoming 1:1 occurrences into prepared meetings:
// question sets and their cadence, prep requests and their link tokens,
// answers, reminders, pauses, and the agenda composed from the answers.
package prep

import (
	"context"
	"errors"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Person is one of the two people of a 1:1.
type Person struct {
	Email string
	Name  string // may be ""
}

// Meeting is one occurrence of a tracked 1:1, as the sync engine stores
// it. It is identified by (SeriesUID, RecurrenceID), which never changes
// when the occurrence moves.
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

// Meetings is what prep needs from the sync engine's store.
type Meetings interface {
	// Upcoming returns the tracked 1:1 occurrences whose start is in
	// [from, to), in every state, sorted by start.
	Upcoming(ctx context.Context, from, to time.Time) ([]Meeting, error)
	// Meeting returns one occurrence; ErrNoMeeting when unknown.
	Meeting(ctx context.Context, seriesUID, recurrenceID string) (Meeting, error)
	// Previous returns the pair's last meeting before m that was held or
	// is still to be held (for carrying over next steps), or nil.
	Previous(ctx context.Context, m Meeting) (*Meeting, error)
}

// ErrNoMeeting is returned for an occurrence the store does not know.
var ErrNoMeeting = errors.New("prep: no such meeting")

// AgendaWriter writes a rendered agenda block into the calendar copies
// of a meeting that it can write, replacing the previous block and
// keeping everything else, and returns the people (lowercased addresses)
// who now see it in their calendar. The others get the agenda by mail.
// An error means the delivery is tried again later: nobody is mailed
// meanwhile, unless it is ErrNotWritable (nothing could be written).
type AgendaWriter interface {
	WriteAgenda(ctx context.Context, m Meeting, block string) (reached []string, err error)
}

// ErrNotWritable means the calendar copy cannot be written (not the
// organizer, read-only calendar): the agenda goes out by email instead.
// It is the adapters' calendars.ErrNotWritable.
var ErrNotWritable = calendars.ErrNotWritable
