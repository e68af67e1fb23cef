package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/oneonone/oneonone/prep"
)

// Question kinds and visibilities of prep.Question.
const (
	kindScale         = "scale"
	visibilityAgenda  = "agenda"
	visibilityPair    = "pair"
	visibilityPrivate = "private"
)

// Notices shown once after a POST redirected back (?n=…). Only these
// fixed texts can appear: the query names one, it never carries text.
var notices = map[string]string{
	"saved": "Your answers are saved. You can change them until the meeting starts.",
}

// formPage is the form, or its read-only view once Editable is false.
type formPage struct {
	Other     string // the other person, by name or else email
	You       string // the reader's email
	When      meetingTime
	Notice    string
	Problem   string // why the answers sent were not saved
	Editable  bool
	Off       string // why the meeting will not take place; "" when it will
	Paused    bool
	NextSteps string       // agreed last time
	Shared    []answerView // the other person's agenda and pair answers
	Hidden    bool         // they wait until both answered (reveal after_both)
	Questions []questionView
	Yours     []answerView // read-only view: your answers
	Agenda    string
	Links     links
}

type links struct{ Form, Pause, Resume string }

type questionView struct {
	ID, Name string // the input's id and name attributes
	Text     string
	Hint     string
	Value    string // the saved answer, or the one just sent
	Error    string // why Value cannot be saved
	Scale    []scaleOption
	MaxLen   int

	question prep.Question
}

type scaleOption struct {
	ID, Value string
	Checked   bool
}

// answerView is one question with an answer, for reading.
type answerView struct {
	Question string
	Text     string
}

// fieldPrefix starts the name of every answer field; the rest is the
// question's id.
const fieldPrefix = "a."

func (s *server) formPage(f prep.Form, token, notice string) *formPage {
	other := personName(f.Other)
	p := &formPage{
		Other: other, You: f.You.Email, When: s.meetingTime(f), Notice: notices[notice],
		Editable: f.Editable, Paused: f.Paused, NextSteps: strings.TrimSpace(f.PreviousNextSteps),
		Shared: sharedAnswers(f), Hidden: f.Hidden, Agenda: strings.TrimSpace(f.Agenda),
		Links: links{Form: s.link(token, ""), Pause: s.link(token, "/pause"), Resume: s.link(token, "/resume")},
	}
	if p.Off = offText(f.Meeting); p.Off != "" {
		p.When.Relative = "" // no countdown to a meeting that will not take place
	}
	if !f.Editable {
		p.Yours = answerList(f.Questions, f.Answers)
		return p
	}
	for i, q := range f.Questions {
		p.Questions = append(p.Questions, questionFor(i, q, f.Answers[q.ID], other, s.maxAnswer))
	}
	return p
}

// refuse turns the form into the one just sent, with the reason one
// answer cannot be saved: nothing typed is lost.
func (p *formPage) refuse(sent map[string]string, bad *prep.AnswerError) {
	p.Problem = "Your answers are not saved yet: one of them needs a change."
	for i := range p.Questions {
		q := &p.Questions[i]
		if v, ok := sent[q.question.ID]; ok {
			*q = questionFor(i, q.question, v, p.Other, q.MaxLen)
		}
		if q.question.ID == bad.QuestionID {
			q.Error = sentence(bad.Reason)
		}
	}
}

func questionFor(i int, q prep.Question, value, other string, maxLen int) questionView {
	v := questionView{question: q, ID: "q" + strconv.Itoa(i+1), Name: fieldPrefix + q.ID, Text: q.Text,
		Value: value, Hint: visibilityHint(q.Visibility, other), MaxLen: maxLen}
	if q.Kind == kindScale {
		v.Hint = "1 is the lowest, 5 the highest. " + v.Hint
		for n := 1; n <= 5; n++ {
			val := strconv.Itoa(n)
			v.Scale = append(v.Scale, scaleOption{ID: v.ID + "-" + val, Value: val, Checked: value == val})
		}
	}
	return v
}

// visibilityHint tells who will read an answer, next to the question.
func visibilityHint(visibility, other string) string {
	switch visibility {
	case visibilityAgenda:
		return "Goes into the agenda in the calendar event, which you both see."
	case visibilityPair:
		return "Shown to " + other + " on this page, not in the calendar."
	case visibilityPrivate:
		return "Only you see this."
	default: // a visibility this page does not know: promise nothing
		return ""
	}
}

// answerList pairs questions with answers, in the questions' order.
func answerList(qs []prep.Question, answers map[string]string) []answerView {
	var out []answerView
	for _, q := range qs {
		a := strings.TrimSpace(answers[q.ID])
		if q.Kind == kindScale && a != "" {
			a += " of 5"
		}
		out = append(out, answerView{Question: q.Text, Text: a})
	}
	return out
}

// sharedAnswers lists the other person's shared answers: first those to
// questions the reader also has, in their order; then any to questions
// only the other role has, by id, since prep.Form carries no text for them.
func sharedAnswers(f prep.Form) []answerView {
	var out []answerView
	seen := map[string]bool{}
	for _, q := range f.Questions {
		seen[q.ID] = true
		if a := strings.TrimSpace(f.Shared[q.ID]); a != "" {
			out = append(out, answerView{Question: q.Text, Text: a})
		}
	}
	var rest []string
	for id, a := range f.Shared {
		if !seen[id] && strings.TrimSpace(a) != "" {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		out = append(out, answerView{Question: humanize(id), Text: strings.TrimSpace(f.Shared[id])})
	}
	return out
}

// sentence makes a reason such as "choose a number" a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "This answer cannot be saved."
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// humanize turns a question id such as "career_goals" into "Career goals".
func humanize(id string) string {
	s := strings.NewReplacer("_", " ", "-", " ").Replace(id)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func personName(p prep.Person) string {
	if n := strings.TrimSpace(p.Name); n != "" {
		return n
	}
	if p.Email != "" {
		return p.Email
	}
	return "the other person"
}
