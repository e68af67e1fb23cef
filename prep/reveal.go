package prep

import "time"

// The values of Settings.Reveal.
const (
	RevealImmediately = "immediately"
	// RevealAfterBoth hides each person's answers from the other (form
	// page, agenda in the event, pair page) until both have answered or
	// the meeting has started, so that neither is swayed by the other.
	RevealAfterBoth = "after_both"
)

// revealed reports whether the answers of m's people may be shown to
// the other one at now, given their requests by email.
func (s Settings) revealed(reqs map[string]request, m Meeting, now time.Time) bool {
	if s.Reveal != RevealAfterBoth || !now.Before(m.Start) {
		return true
	}
	for _, p := range m.People {
		r, ok := reqs[normEmail(p.Email)]
		if !ok || r.Answered.IsZero() {
			return false
		}
	}
	return true
}
