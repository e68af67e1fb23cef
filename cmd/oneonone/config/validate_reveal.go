package config

// aroundTheMeeting checks the [prep] keys of what happens around a
// meeting: when answers are revealed, and when invites make a digest.
func (v *validator) aroundTheMeeting() {
	p := &v.c.Prep
	switch p.Reveal {
	case "immediately", "after_both":
	default:
		v.p.add("prep.reveal", `%q is not a choice — use "immediately" (each sees the other's answers as they come) or "after_both" (only once both answered or the meeting started)`, p.Reveal)
	}
	if p.DigestMin < 0 {
		v.p.add("prep.digest_min", `%d is negative — the number of invites on one day that are sent as one mail, such as 3; 0 sends every invite on its own`, p.DigestMin)
	}
}
