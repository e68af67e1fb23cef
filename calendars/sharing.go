package calendars

import "errors"

// Sharing says who sees what is written into one calendar's copy of a
// meeting. It is a property of the provider: each adapter says which it
// is, and the engine decides which copies to write from it alone.
type Sharing int

const (
	// OwnCopies: each person's copy is their own (CalDAV without
	// server-side scheduling). What is written into it reaches its owner
	// only.
	OwnCopies Sharing = iota
	// OneEvent: one event that every guest sees (Google). Only the
	// organizer's copy may be written, and what it holds reaches every
	// participant.
	OneEvent
	// AttendeeCopies: each person's copy is their own, but a change to
	// the organizer's sends every attendee an update (Microsoft 365). Only
	// attendees' copies are written, each reaching its owner only; the
	// organizer is mailed.
	AttendeeCopies
)

// ErrNotSetUp is what an agenda write answers while the calendar of a
// copy is not set up yet (right after a start or a reload): not a refusal,
// the next try writes it.
var ErrNotSetUp = errors.New("still being set up; the agenda is written at the next try")
