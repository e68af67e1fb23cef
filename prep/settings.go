package prep

import (
	"strings"
	"sync"
	"time"
)

// Settings are the parts of the configuration prep uses, as plain values:
// the command wires them from the config file.
type Settings struct {
	SendBefore   time.Duration // invites go out this long before a meeting; 24 h when 0
	RemindBefore time.Duration // the one reminder; 0 sends none
	Grace        time.Duration // links stay valid this long after the meeting ends

	PublicURL string // base of every link, such as https://1on1.example.com
	From      string // the From of prep mails, "Name <addr@example.com>"
	ReplyTo   string // optional

	// Location is the zone for meetings whose own zone is unknown; UTC
	// when nil.
	Location *time.Location
	// QuestionSet returns the set for the pair of a and b (addresses in
	// any order). Nil asks nothing, so no invites go out.
	QuestionSet func(a, b string) QuestionSet
	// CarryOver are the question ids whose agenda answers at the previous
	// meeting are carried over as its next steps; nil is DefaultCarryOver.
	CarryOver []string
	// MaxAnswer is the longest answer in characters; 4,000 when 0.
	MaxAnswer int

	// Reveal is RevealImmediately ("" too) or RevealAfterBoth.
	Reveal string
	// DigestMin: a person with at least this many invites due on one day
	// gets them as one digest mail; 0 sends none.
	DigestMin int
	// Links, when set, puts each recipient's pair page link into the
	// mails (see PairToken); nil leaves it out.
	Links *Links
	// AgendaQuiet is how long answers must rest before their agenda is
	// delivered, so that a burst of edits is one write (and at most one
	// mail); 5 minutes when 0, none when negative.
	AgendaQuiet time.Duration
	// AgendaCutoff is how long before the start the agenda is delivered
	// even though only one of the two has answered; 1 hour when 0.
	AgendaCutoff time.Duration
}

func (s Settings) agendaQuiet() time.Duration {
	switch {
	case s.AgendaQuiet < 0:
		return 0
	case s.AgendaQuiet == 0:
		return 5 * time.Minute
	}
	return s.AgendaQuiet
}

func (s Settings) agendaCutoff() time.Duration {
	if s.AgendaCutoff <= 0 {
		return time.Hour
	}
	return s.AgendaCutoff
}

// DefaultCarryOver: what was agreed to follow up on (next_steps) and what
// was brought up (topics) at the previous meeting.
var DefaultCarryOver = []string{"next_steps", "topics"}

func (s Settings) sendBefore() time.Duration {
	if s.SendBefore <= 0 {
		return 24 * time.Hour
	}
	return s.SendBefore
}

func (s Settings) maxAnswer() int {
	if s.MaxAnswer <= 0 {
		return 4000
	}
	return s.MaxAnswer
}

func (s Settings) carryOver() []string {
	if s.CarryOver == nil {
		return DefaultCarryOver
	}
	return s.CarryOver
}

func (s Settings) questionSet(m Meeting) QuestionSet {
	if s.QuestionSet == nil {
		return QuestionSet{}
	}
	return s.QuestionSet(m.People[0].Email, m.People[1].Email)
}

// expiry is when links to m stop working.
func (s Settings) expiry(m Meeting) time.Time {
	end := m.End
	if end.Before(m.Start) {
		end = m.Start
	}
	return end.Add(s.Grace)
}

// location is the zone m's times are shown in: the meeting's own zone,
// else the configured default, else UTC.
func (s Settings) location(m Meeting) *time.Location {
	if m.TimeZone != "" {
		if loc := loadLocation(m.TimeZone); loc != nil {
			return loc
		}
	}
	if s.Location != nil {
		return s.Location
	}
	return time.UTC
}

// locations caches loaded zones: LoadLocation reads a file each time, and
// the form page asks for one on every request.
var locations sync.Map // name → *time.Location, nil for unknown names

func loadLocation(name string) *time.Location {
	if v, ok := locations.Load(name); ok {
		return v.(*time.Location)
	}
	loc, err := time.LoadLocation(strings.TrimSpace(name))
	if err != nil {
		loc = nil
	}
	locations.Store(name, loc)
	return loc
}
