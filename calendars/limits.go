package calendars

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oneonone/oneonone/calendars/ics"
)

// Anyone can put an event into a watched calendar (Google adds
// invitations by itself, CalDAV servers deliver iTIP requests), and so
// choose its rule, its size and its attendees. These limits bound what one
// such object can cost; each is far above what any real meeting needs.
const (
	// MaxObjectBytes bounds one calendar resource as a provider hands it
	// over (a CalDAV object, a Google event as iCalendar). Outlook
	// invitations with inline HTML and images reach a few megabytes.
	MaxObjectBytes = 8 << 20
	// MaxComponentBytes bounds one VEVENT, its alarms included.
	MaxComponentBytes = 4 << 20
	// MaxAttendees bounds the attendees read from one component: a 1:1
	// has two people, and a list this long is never one.
	MaxAttendees = 500
	// MaxRules bounds the RRULEs of one component: RFC 5545 deprecates
	// more than one, and each costs an iterator.
	MaxRules = 4
	// MaxTextBytes bounds SUMMARY, LOCATION and a person's name.
	MaxTextBytes = 1 << 10
	// MaxDescriptionBytes bounds DESCRIPTION as the model holds it.
	MaxDescriptionBytes = 64 << 10
	// maxTZIDBytes bounds a TZID: the longest real ones are Windows
	// display names of about a hundred bytes.
	maxTZIDBytes = 256
	// maxOnsets bounds the observances and RDATEs of one VTIMEZONE: a
	// zone's whole history since 1847 (London) has a few hundred.
	maxOnsets = 2000

	// MaxPerDay is the most occurrences a 1:1 has in one day. People
	// meet one-on-one once a day at most, a few times on an intense day;
	// a rule that repeats more often is a reminder or a mistake, not a
	// meeting two people prepare for. Expansion is capped at this density
	// too, so a 1:1 is never cut and nothing else costs more.
	MaxPerDay = 4
	// minPerWindow is the cap of a window shorter than a few days.
	minPerWindow = 4 * MaxPerDay
	// maxPerWindow bounds any one expansion, whatever window is asked
	// for: 100,000 occurrences is a daily series over 270 years.
	maxPerWindow = 100_000
	// maxWalk bounds the instances a rule may produce before the window
	// starts (a COUNT rule cannot be skipped ahead in general): enough for
	// a daily series with a COUNT that began before 1500.
	maxWalk = 200_000
)

// windowCap is how many occurrences one series may have in [from, to).
func windowCap(from, to time.Time) int {
	days := int(to.Sub(from).Hours()/24) + 1
	if days > maxPerWindow/MaxPerDay {
		return maxPerWindow
	}
	return max(minPerWindow, days*MaxPerDay)
}

// clipText cuts s to at most n bytes on a rune boundary, and says whether
// it did.
func clipText(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}

// size writes a byte count the way people read it.
func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// clipped shortens a value quoted in a problem message: a megabyte of
// garbage is named, not repeated.
func clipped(s string) string {
	if c, cut := clipText(s, 64); cut {
		return c + "…"
	}
	return s
}

// text reads a TEXT property, cut to limit bytes.
func (r *reader) text(c *ics.Component, name, uid string, limit int) string {
	p := c.Prop(name)
	if p == nil {
		return ""
	}
	v, cut := clipText(ics.Text(p.Value), limit)
	if cut {
		r.overLimit(p.Line, uid, "%s is %s, over the limit of %s; the rest is not read", name, size(len(p.Value)), size(limit))
	}
	return v
}

// tooBig reports (and skips) a VEVENT over MaxComponentBytes.
func (r *reader) tooBig(c *ics.Component) bool {
	if c.Size <= MaxComponentBytes {
		return false
	}
	uid := ""
	if p := c.Prop("UID"); p != nil {
		uid, _ = clipText(strings.TrimSpace(p.Value), MaxTextBytes)
	}
	r.overLimit(c.Line, uid, "%s is %s, over the limit of %s for one event; skipped", c.Name, size(c.Size), size(MaxComponentBytes))
	return true
}
