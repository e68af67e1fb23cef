package calendars

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Rules decide which recurring series are 1:1s. The zero value plus
// DefaultRules' markers is the default rule: a recurring event with
// exactly two human participants, organizer included; rooms, resources
// and attendees who declined the series do not count.
type Rules struct {
	IncludeTitles   []*regexp.Regexp // when set, the title must match one
	ExcludeTitles   []*regexp.Regexp // a match means not a 1:1
	OptInMarker     string           // in title or description: optional attendees do not count
	OptOutMarker    string           // in title or description: never a 1:1
	IgnoreAttendees []string         // emails, or "@domain" for a whole domain (note takers, assistants)
}

// DefaultRules returns the default rule with its markers.
func DefaultRules() Rules {
	return Rules{OptInMarker: "#1on1", OptOutMarker: "#no1on1"}
}

// Decision is whether a series is a 1:1, and why, in one line.
type Decision struct {
	OneOnOne bool
	Why      string
	// People are the humans counted, sorted by email; the pair when
	// OneOnOne.
	People []Person
}

// resourceDomains hold calendars of rooms and equipment that providers
// list as plain attendees.
var resourceDomains = []string{"@resource.calendar.google.com"}

// Detect applies the rules to a series.
func Detect(s *Series, r Rules) Decision {
	switch {
	case !s.Recurring():
		return Decision{Why: "not recurring"}
	case s.Status == StatusCancelled:
		return Decision{Why: "the whole series is cancelled"}
	case s.MoreAttendees > 0:
		return Decision{Why: fmt.Sprintf("not a 1:1: %d attendees, more than the %d read", len(s.Attendees)+s.MoreAttendees, MaxAttendees)}
	}
	if why := s.tooFrequent(); why != "" {
		return Decision{Why: why}
	}
	if why := malformedAddress(s); why != "" {
		return Decision{Why: why}
	}
	if m := r.OptOutMarker; m != "" && hasMarker(s, m) {
		return Decision{Why: fmt.Sprintf("opt-out marker %q in the title or description", m)}
	}
	for _, re := range r.ExcludeTitles {
		if re.MatchString(s.Summary) {
			return Decision{Why: fmt.Sprintf("title matches exclude pattern %q", re.String())}
		}
	}
	if len(r.IncludeTitles) > 0 && !matchesAny(r.IncludeTitles, s.Summary) {
		return Decision{Why: "title matches none of the include_titles patterns"}
	}
	optIn := r.OptInMarker != "" && hasMarker(s, r.OptInMarker)
	people, group := humans(s, r, optIn)
	d := Decision{People: people}
	switch {
	case group != "":
		d.Why = fmt.Sprintf("%s is a group, not one person", group)
	case len(people) == 2:
		d.OneOnOne = true
		d.Why = "2 people: " + emails(people)
		if optIn {
			d.Why += fmt.Sprintf(" (opt-in marker %q: optional attendees not counted)", r.OptInMarker)
		}
	case len(people) < 2:
		d.Why = fmt.Sprintf("%d person: %s", len(people), emails(people))
		if len(people) == 0 {
			d.Why = "no people: no organizer or attendees with an address"
		}
	default:
		d.Why = fmt.Sprintf("%d people: %s", len(people), emails(people))
	}
	if s.Partial {
		d.Why += fmt.Sprintf(" (no master event: %d single occurrence(s), each kept as its own)", len(s.Overrides))
	}
	return d
}

// humans returns the distinct people who count, and the first group
// attendee found (a mailing list may hide any number of people).
func humans(s *Series, r Rules, optIn bool) ([]Person, string) {
	seen := map[string]int{}
	var people []Person
	add := func(p Person) {
		key := p.Email
		if key == "" {
			key = "name:" + p.Name
		}
		if _, ok := seen[key]; ok || ignored(r, p.Email) {
			return
		}
		seen[key] = len(people)
		people = append(people, p)
	}
	declined := map[string]bool{}
	var group string
	for _, a := range s.Attendees {
		switch {
		case a.Kind == KindGroup && a.PartStat != PartDeclined:
			if group == "" && !ignored(r, a.Email) {
				group = a.Email
			}
		case !a.Human() || isResource(a.Email):
		case a.PartStat == PartDeclined:
			declined[a.Email] = true
		case optIn && (a.Role == "opt-participant" || a.Role == "non-participant"):
		default:
			add(a.Person)
		}
	}
	if o := s.Organizer; (o.Email != "" || o.Name != "") && !declined[o.Email] && !isResource(o.Email) {
		add(o)
	}
	sort.Slice(people, func(i, j int) bool { return people[i].Email < people[j].Email })
	return people, group
}

// malformedAddress says which address of the organizer or an attendee is
// not one mail may be sent to (see CheckEmail), or "". Anyone can invite
// anyone into a calendar, so one such address makes the series not a 1:1
// rather than a mail to whatever a server makes of it.
func malformedAddress(s *Series) string {
	if err := checkPerson(s.Organizer); err != nil {
		return fmt.Sprintf("organizer address %q is malformed: %v", s.Organizer.Email, err)
	}
	for _, a := range s.Attendees {
		if err := checkPerson(a.Person); err != nil {
			return fmt.Sprintf("attendee address %q is malformed: %v", a.Email, err)
		}
	}
	return ""
}

// checkPerson checks p's address; none at all (a name only) is not
// malformed: such a person is simply never mailed.
func checkPerson(p Person) error {
	if p.Email == "" {
		return nil
	}
	return CheckEmail(p.Email)
}

func ignored(r Rules, email string) bool {
	for _, x := range r.IgnoreAttendees {
		x = strings.ToLower(strings.TrimSpace(x))
		if x == email || (strings.HasPrefix(x, "@") && strings.HasSuffix(email, x)) {
			return true
		}
	}
	return false
}

func isResource(email string) bool {
	for _, d := range resourceDomains {
		if strings.HasSuffix(email, d) {
			return true
		}
	}
	return false
}

func hasMarker(s *Series, m string) bool {
	m = strings.ToLower(m)
	return strings.Contains(strings.ToLower(s.Summary), m) || strings.Contains(strings.ToLower(s.Description), m)
}

func matchesAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// emails lists people for a one-line why: the first few, then how many
// more, so that a huge invitation makes no huge line.
func emails(ps []Person) string {
	const shown = 5
	var out []string
	for i, p := range ps {
		if i == shown {
			out = append(out, fmt.Sprintf("and %d more", len(ps)-shown))
			break
		}
		if p.Email != "" {
			out = append(out, p.Email)
		} else {
			out = append(out, p.Name)
		}
	}
	return strings.Join(out, ", ")
}
