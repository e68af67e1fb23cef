package calendars

import "errors"

// Sharing says who sees what is written into one calendar's copy of a
// meeting. It is a property of the provider: each adapter says which it
// is, and the engine decides which copies to write from it alone.
type Sharing int

const (
	// OwnCopies: each person's copy is their own (CalDAV without
	// server-side scheduling, Microsoft 365). What is written into it
	// reaches its owner only.
	OwnCopies Sharing = iota
	// OneEvent: one event that every guest sees (Google). Only the
	// organizer's copy may be written, and what it holds reaches every
	// participant.
	OneEvent
)

// ErrNotSetUp is what an agenda write answers while the calendar of a
// copy is not set up yet (right after a start or a reload): not a refusal,
// the next try writes it.
var ErrNotSetUp = errors.New("still being set up; the agenda is written at the next try")
