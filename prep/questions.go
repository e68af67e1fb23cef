package prep

import (
	"encoding/json"
	"fmt"

	"github.com/oneonone/oneonone/calendars"
)

// QuestionSet is a named list of questions, chosen per pair of people.
type QuestionSet struct {
	Name      string
	Questions []SetQuestion
}

// SetQuestion is a question of a set with when and to whom it is asked.
// Its fields are those of the config file's question, in the same order,
// so the caller can convert one into the other.
type SetQuestion struct {
	ID         string
	Text       string
	Kind       string // text | scale (1–5)
	Visibility string // agenda | pair | private
	Role       string // both | organizer | attendee; "" is both
	Every      int    // asked at meetings 1, 1+N, 1+2N …; 0 and 1 mean every meeting
}

// The roles of the two people of a 1:1.
const (
	RoleOrganizer = "organizer"
	RoleAttendee  = "attendee"
)

// The visibilities of a question.
const (
	VisibilityAgenda  = "agenda"  // written into the event
	VisibilityPair    = "pair"    // shown to both on the form, not written into the event
	VisibilityPrivate = "private" // seen by its author only
)

// Ask returns the questions of set that a person in role is asked at
// meeting number (1-based, as Meeting.Number): a question with Every = N
// only when number % N == 1, and role-specific questions only to that role.
func Ask(set QuestionSet, role string, number int) []Question {
	var qs []Question
	for _, q := range set.Questions {
		if q.Every > 1 && number%q.Every != 1 {
			continue
		}
		if q.Role != "" && q.Role != "both" && q.Role != role {
			continue
		}
		qs = append(qs, Question{ID: q.ID, Text: q.Text, Kind: q.Kind, Visibility: q.Visibility})
	}
	return qs
}

// roleOf is the role of email in m.
func roleOf(m Meeting, email string) string {
	if normEmail(m.Organizer) == normEmail(email) {
		return RoleOrganizer
	}
	return RoleAttendee
}

// normEmail is calendars.NormalizeEmail, under the short name prep's many
// call sites (its SQL among them, which moves to prep's store) use.
func normEmail(s string) string { return calendars.NormalizeEmail(s) }

// storedQuestion is a question as prep_requests.questions keeps it; the
// JSON names are part of the schema.
type storedQuestion struct {
	ID         string `json:"id"`
	Text       string `json:"text"`
	Kind       string `json:"kind"`
	Visibility string `json:"visibility"`
}

func encodeQuestions(qs []Question) string {
	st := make([]storedQuestion, len(qs))
	for i, q := range qs {
		st[i] = storedQuestion(q)
	}
	b, _ := json.Marshal(st)
	return string(b)
}

func decodeQuestions(s string) ([]Question, error) {
	var st []storedQuestion
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return nil, fmt.Errorf("stored questions: %w", err)
	}
	qs := make([]Question, len(st))
	for i, q := range st {
		qs[i] = Question(q)
	}
	return qs, nil
}

// visibility returns the visibility of question id in qs, "" when absent.
func visibility(qs []Question, id string) string {
	for _, q := range qs {
		if q.ID == id {
			return q.Visibility
		}
	}
	return ""
}

// union is the questions of a followed by those of b not in a: the
// order in which the agenda lists them.
func union(a, b []Question) []Question {
	out := append([]Question(nil), a...)
	for _, q := range b {
		if visibility(a, q.ID) == "" {
			out = append(out, q)
		}
	}
	return out
}
