package config

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

var (
	nameRe       = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	questionIDRe = regexp.MustCompile(`^[a-z0-9_-]+$`)
)

func (v *validator) prep() {
	p := &v.c.Prep
	if p.SendBefore <= 0 {
		v.p.add("prep.send_before", `must be positive — how long before a meeting the prep links go out, such as "24h"`)
	} else if p.SendBefore > v.c.WindowAhead && v.c.WindowAhead > 0 {
		v.p.add("prep.send_before", "%s is beyond window_ahead (%s) — meetings are only known that far ahead; raise window_ahead", fmtDur(p.SendBefore), fmtDur(v.c.WindowAhead))
	}
	switch {
	case p.RemindBefore < 0:
		v.p.add("prep.remind_before", `%s is negative — use a duration such as "2h", or "0s" to send no reminder`, fmtDur(p.RemindBefore))
	case p.RemindBefore > 0 && p.RemindBefore >= p.SendBefore && p.SendBefore > 0:
		v.p.add("prep.remind_before", `%s is not shorter than send_before (%s) — the reminder must come after the links; "0s" disables it`, fmtDur(p.RemindBefore), fmtDur(p.SendBefore))
	}
	if p.Grace < 0 {
		v.p.add("prep.grace", `%s is negative — how long links stay valid after a meeting ends, such as "24h"`, fmtDur(p.Grace))
	}
	if p.FollowUpAfter < 0 {
		v.p.add("prep.follow_up_after", `%s is negative — how long after a meeting ends to ask whether it happened, such as "1h"; "0s" disables`, fmtDur(p.FollowUpAfter))
	}
	if n := v.c.Nudges.CancelledInARow; n < 0 {
		v.p.add("nudges.cancelled_in_a_row", `%d is negative — how many meetings in a row must not happen before both people get a nudge, such as 2; 0 disables`, n)
	}
	v.aroundTheMeeting()
	if p.AgendaQuiet < 0 {
		v.p.add("prep.agenda_quiet", `%s is negative — how long answers rest before the agenda is delivered, such as "5m"; "0s" for none`, fmtDur(p.AgendaQuiet))
	}
	if p.AgendaCutoff <= 0 {
		v.p.add("prep.agenda_cutoff", `must be positive — how long before a meeting the agenda goes out when only one has answered, such as "1h"`)
	} else if p.AgendaCutoff > p.SendBefore && p.SendBefore > 0 {
		v.p.add("prep.agenda_cutoff", "%s is longer than send_before (%s) — nobody has a link that early; shorten it", fmtDur(p.AgendaCutoff), fmtDur(p.SendBefore))
	}
	v.questionSets()
	if p.Questions == "" {
		v.p.add("prep.questions", `required — the name of a question set, such as "default"`)
	} else if _, ok := v.c.QuestionSet(p.Questions); !ok {
		v.p.add("prep.questions", "no question set is named %q — %s", p.Questions, v.setNames())
	}
	v.pairs()
}

func (v *validator) setNames() string {
	names := make([]string, len(v.c.Prep.QuestionSets))
	for i, s := range v.c.Prep.QuestionSets {
		names[i] = s.Name
	}
	return "the sets are " + quoteList(names)
}

// questionSets checks the file's sets and adds the built-in "default" unless
// the file defines its own.
func (v *validator) questionSets() {
	seen := map[string]bool{}
	for i, s := range v.c.Prep.QuestionSets {
		key := fmt.Sprintf("prep.question_set[%d]", i)
		switch {
		case s.Name == "":
			v.p.add(key+".name", "required — the name [[prep.pair]] rules and prep.questions refer to")
		case !nameRe.MatchString(s.Name):
			v.p.add(key+".name", "%q has characters other than letters, digits, '_', '.' and '-'", s.Name)
		case seen[s.Name]:
			v.p.add(key+".name", "%q is used by an earlier question set — give each set its own name", s.Name)
		}
		seen[s.Name] = true
		if len(s.Questions) == 0 {
			v.p.add(key+".question", "the set has no questions — add [[prep.question_set.question]] entries with id and text")
		}
		ids := map[string]bool{}
		for j, q := range s.Questions {
			v.question(fmt.Sprintf("%s.question[%d]", key, j), q, ids)
		}
	}
	if !seen["default"] {
		v.c.Prep.QuestionSets = append(v.c.Prep.QuestionSets, DefaultQuestionSet())
	}
}

func (v *validator) question(key string, q Question, ids map[string]bool) {
	switch {
	case q.ID == "":
		v.p.add(key+".id", "required — a short stable name such as \"blockers\"; answers are stored under it")
	case !questionIDRe.MatchString(q.ID):
		v.p.add(key+".id", "%q may only have lowercase letters, digits, '_' and '-'", q.ID)
	case ids[q.ID]:
		v.p.add(key+".id", "%q is used by an earlier question of this set — ids must be unique within a set", q.ID)
	}
	ids[q.ID] = true
	if strings.TrimSpace(q.Text) == "" {
		v.p.add(key+".text", "required — the question as the participants read it")
	}
	v.enum(key+".kind", q.Kind, "text", "scale")
	v.enum(key+".visibility", q.Visibility, "agenda", "pair", "private")
	v.enum(key+".role", q.Role, "both", "organizer", "attendee")
	if q.Every < 1 {
		v.p.add(key+".every", "%d is not a positive number — 1 asks every meeting, 4 every fourth", q.Every)
	}
}

func (v *validator) enum(key, val string, options ...string) {
	if !oneOf(val, options...) {
		v.p.add(key, "%q is not one of %s", val, quoteList(options))
	}
}

// pairs checks [[prep.pair]] and normalizes each to two sorted, lowercased
// addresses.
func (v *validator) pairs() {
	seen := map[string]int{}
	for i := range v.c.Prep.Pairs {
		pr := &v.c.Prep.Pairs[i]
		key := fmt.Sprintf("prep.pair[%d]", i)
		if pr.QuestionSet == "" {
			v.p.add(key+".question_set", "required — the name of the question set for this pair")
		} else if _, ok := v.c.QuestionSet(pr.QuestionSet); !ok {
			v.p.add(key+".question_set", "no question set is named %q — %s", pr.QuestionSet, v.setNames())
		}
		if len(pr.Participants) != 2 {
			v.p.add(key+".participants", "needs exactly two email addresses, found %d — a rule is for one pair of people", len(pr.Participants))
			continue
		}
		norm := make([]string, 2)
		for j, s := range pr.Participants {
			if a := v.address(fmt.Sprintf("%s.participants[%d]", key, j), s); a != nil {
				norm[j] = strings.ToLower(a.Address)
			}
		}
		if norm[0] == "" || norm[1] == "" {
			continue
		}
		sort.Strings(norm)
		pr.Participants = norm
		id := norm[0] + "," + norm[1]
		switch j, dup := seen[id]; {
		case norm[0] == norm[1]:
			v.p.add(key+".participants", "names %s twice — a pair is two different people", norm[0])
		case dup:
			v.p.add(key+".participants", "the same pair as prep.pair[%d] — keep one rule per pair", j)
		}
		seen[id] = i
	}
}
