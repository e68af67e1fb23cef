package prep

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// form builds what the page of request r shows at now.
func (s *Service) form(ctx context.Context, now time.Time, r request, m Meeting) (Form, error) {
	you, other := people(m, r)
	f := Form{
		Meeting: m, You: you, Other: other, Role: r.Role,
		Location:  s.Settings.location(m),
		Questions: r.Questions,
		Shared:    map[string]string{},
		Editable:  now.Before(m.Start) && !m.Cancelled(),
	}
	var err error
	if f.Answers, f.UpdatedAt, err = answersOf(ctx, onDB(s.DB), s.Answers, r.ID); err != nil {
		return Form{}, err
	}
	if f.Paused, err = paused(ctx, onDB(s.DB), r.SeriesUID, r.Email); err != nil {
		return Form{}, err
	}
	reqs, err := requestsOf(ctx, onDB(s.DB), m.SeriesUID, m.RecurrenceID)
	if err != nil {
		return Form{}, err
	}
	answers, err := allAnswers(ctx, onDB(s.DB), s.Answers, reqs)
	if err != nil {
		return Form{}, err
	}
	f.Hidden = !s.Settings.revealed(reqs, m, now)
	if o, ok := reqs[normEmail(other.Email)]; ok && o.ID != r.ID && !f.Hidden {
		f.Shared = shared(o.Questions, answers[o.Email])
	}
	if f.PreviousNextSteps, err = carryOver(ctx, onDB(s.DB), s.Answers, s.Meetings, m, s.Settings.carryOver()); err != nil {
		return Form{}, err
	}
	if !f.Editable && !m.Cancelled() {
		f.Agenda = ComposeAgenda(m, agendaQuestions(m, reqs), answers, f.PreviousNextSteps)
	}
	return f, nil
}

// shared is the part of the other person's answers the reader may see:
// those to agenda and pair questions, never private ones.
func shared(qs []Question, answers map[string]string) map[string]string {
	out := map[string]string{}
	for _, q := range qs {
		if a := answers[q.ID]; a != "" && (q.Visibility == VisibilityAgenda || q.Visibility == VisibilityPair) {
			out[q.ID] = a
		}
	}
	return out
}

// allAnswers returns the answers of each request by email.
func allAnswers(ctx context.Context, q reads, c *AnswerCipher, reqs map[string]request) (map[string]map[string]string, error) {
	out := make(map[string]map[string]string, len(reqs))
	for email, r := range reqs {
		a, _, err := answersOf(ctx, q, c, r.ID)
		if err != nil {
			return nil, err
		}
		out[email] = a
	}
	return out, nil
}

// agendaQuestions are the questions of both people's requests, in the
// order of the first person's, then the second's own.
func agendaQuestions(m Meeting, reqs map[string]request) []Question {
	var qs []Question
	for _, p := range m.People {
		qs = union(qs, reqs[normEmail(p.Email)].Questions)
	}
	return qs
}

// carryOver is what the previous meeting of the pair leaves for this one:
// the agenda answers of both people there to the carry-over questions, in
// the order of ids, each as "Name — question" and the answer indented
// below. Only agenda answers are carried: they were already in that
// meeting's agenda, so nothing becomes more visible than it was.
//
// The next steps people wrote in their follow-up of that meeting, when
// they said it was held, come after: both people agreed to them.
func carryOver(ctx context.Context, q reads, c *AnswerCipher, meetings Meetings, m Meeting, ids []string) (string, error) {
	prev, err := meetings.Previous(ctx, m)
	if err != nil {
		return "", fmt.Errorf("prep: previous meeting of %s %s: %w", m.SeriesUID, m.RecurrenceID, err)
	}
	if prev == nil {
		return "", nil
	}
	answers, err := agendaCarryOver(ctx, q, c, *prev, ids)
	if err != nil {
		return "", err
	}
	steps, err := followUpCarryOver(ctx, q, c, *prev)
	if err != nil {
		return "", err
	}
	return strings.Trim(answers+"\n"+steps, "\n"), nil
}

// agendaCarryOver is the part of carryOver from prev's agenda answers.
func agendaCarryOver(ctx context.Context, q reads, c *AnswerCipher, prev Meeting, ids []string) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	reqs, err := requestsOf(ctx, q, prev.SeriesUID, prev.RecurrenceID)
	if err != nil || len(reqs) == 0 {
		return "", err
	}
	answers, err := allAnswers(ctx, q, c, reqs)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, id := range ids {
		for _, p := range prev.People {
			r, ok := reqs[normEmail(p.Email)]
			text := cleanUntrusted(answers[r.Email][id], agendaAnswerMax)
			if !ok || text == "" || visibility(r.Questions, id) != VisibilityAgenda {
				continue
			}
			qtext := ""
			for _, q := range r.Questions {
				if q.ID == id {
					qtext = shortLine(q.Text, agendaLabelMax)
				}
			}
			fmt.Fprintf(&b, "%s — %s\n%s\n", label(p), qtext, indent(text, "  "))
		}
	}
	return strings.TrimRight(b.String(), "\n"), nil
}
