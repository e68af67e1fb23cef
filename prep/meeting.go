// Package prep turns upcoming 1:1 occurrences into prepared meetings:
// question sets and their cadence, prep requests and their link tokens,
// answers, reminders, pauses, and the agenda composed from the answers.
package prep

import (
	"context"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Person is one of the two people of a 1:1.
type Person = calendars.Person

// Meeting is one occurrence of a tracked 1:1, as the sync engine stores
// it (declared in calendars, which both prep and the engine speak).
type Meeting = calendars.Meeting

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
var ErrNoMeeting = calendars.ErrNoMeeting

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
