package prep

import (
	"context"
	"database/sql"
	"sort"
)

// SharedAnswer is one answer an admin export may show: to a question of
// visibility agenda or pair, or the next steps of a follow-up. Private
// answers are never one.
type SharedAnswer struct {
	Email      string `json:"email"`
	QuestionID string `json:"question_id"`
	Question   string `json:"question"`
	Visibility string `json:"visibility"`
	Text       string `json:"text"`
}

// SharedAnswers returns the agenda of an occurrence as composed from its
// answers, and its answers that are not private, by person then question
// order.
func SharedAnswers(ctx context.Context, db *sql.DB, c *AnswerCipher, meetings Meetings, settings Settings, m Meeting) (string, []SharedAnswer, error) {
	reqs, err := requestsOf(ctx, onDB(db), m.SeriesUID, m.RecurrenceID)
	if err != nil {
		return "", nil, err
	}
	answers, err := allAnswers(ctx, onDB(db), c, reqs)
	if err != nil {
		return "", nil, err
	}
	prev, err := carryOver(ctx, onDB(db), c, meetings, m, settings.carryOver())
	if err != nil {
		return "", nil, err
	}
	agenda := ComposeAgenda(m, agendaQuestions(m, reqs), answers, prev)
	emails := make([]string, 0, len(reqs))
	for e := range reqs {
		emails = append(emails, e)
	}
	sort.Strings(emails)
	var out []SharedAnswer
	for _, e := range emails {
		for _, q := range reqs[e].Questions {
			text := answers[e][q.ID]
			if text == "" || (q.Visibility != VisibilityAgenda && q.Visibility != VisibilityPair) {
				continue
			}
			out = append(out, SharedAnswer{Email: e, QuestionID: q.ID, Question: q.Text, Visibility: q.Visibility, Text: text})
		}
	}
	steps, err := followUpSteps(ctx, onDB(db), c, m.SeriesUID, m.RecurrenceID)
	if err != nil {
		return "", nil, err
	}
	for _, e := range sortedKeys(steps) {
		out = append(out, SharedAnswer{Email: e, QuestionID: "follow_up_next_steps", Question: "Next steps agreed (follow-up)",
			Visibility: VisibilityAgenda, Text: steps[e]})
	}
	return agenda, out, nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
