package prep

import (
	"errors"
	"time"
)

// Question is one question of a set, as the form shows it.
type Question struct {
	ID         string
	Text       string
	Kind       string // text | scale (1–5)
	Visibility string // agenda | pair | private
}

// Form is everything the prep page for one link shows.
type Form struct {
	Meeting  Meeting
	You      Person
	Other    Person
	Role     string         // organizer | attendee
	Location *time.Location // where the page shows times: the reader's zone as best known

	Questions []Question
	Answers   map[string]string // yours, by question id
	// Shared are the other person's answers to questions whose
	// visibility is agenda or pair, by question id. Private answers of
	// the other person never appear here.
	Shared map[string]string
	// Hidden is true while Reveal is after_both and Shared is held back
	// until both have answered or the meeting starts.
	Hidden bool
	// PreviousNextSteps are the next steps agreed at the last meeting.
	PreviousNextSteps string

	Editable  bool   // until the meeting starts, unless it will not take place (Meeting.Cancelled)
	Agenda    string // the composed agenda body, shown once read-only
	Paused    bool   // prep mails for this series are paused for you
	UpdatedAt time.Time
}

// Errors a link can meet; the page says what happened in plain words.
var (
	ErrUnknownLink = errors.New("this link is not valid")
	ErrExpiredLink = errors.New("this link has expired")
	ErrLocked      = errors.New("the meeting has started; answers can no longer be changed")
	// ErrCancelled refuses a save for a meeting that will not take place
	// (cancelled, declined, or dropped from its series). The answers
	// already given are kept: a meeting put back brings them back.
	ErrCancelled = errors.New("the meeting will not take place; answers are not saved")
)
