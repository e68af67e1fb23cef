package prep

import (
	"context"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// What a person can answer to "did your 1:1 happen?".
const (
	OutcomeHeld    = calendars.OutcomeHeld
	OutcomeNotHeld = calendars.OutcomeNotHeld
	OutcomeMoved   = calendars.OutcomeMoved
)

// Outcomes is where the answers to follow-ups become the pair's history
// (the sync engine owns it).
type Outcomes interface {
	// Report records what email says about an occurrence; a person's
	// latest answer replaces their earlier one. ErrNoMeeting when the
	// occurrence is unknown.
	Report(ctx context.Context, seriesUID, recurrenceID, email, outcome string, at time.Time) error
}

// FollowUp is what the follow-up page for one link shows.
type FollowUp struct {
	Kind      string // followup | nudge
	Meeting   Meeting
	You       Person
	Other     Person
	Location  *time.Location
	Outcome   string // the saved answer, "" before one
	NextSteps string
	Paused    bool
	// Editable: the link can save an answer (a follow-up's can, a
	// nudge's only pauses).
	Editable bool
}

// followUpValid is how long after the meeting's end a follow-up link
// works: a week, so that it can be answered after a weekend.
const followUpValid = 7 * 24 * time.Hour

// followUpLookback: an occurrence whose follow-up fell due more than this
// long before the daemon saw it gets none (after downtime, a mail about
// last month's meeting helps no one).
const followUpLookback = 24 * time.Hour

// The kinds of rows in prep_followups and of their mails' dedup keys.
const (
	kindFollowUp = "followup"
	kindNudge    = "nudge"
)
