package web

import (
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/oneonone/oneonone/prep"
)

// defaultMaxAnswer is prep.Settings' default MaxAnswer.
const defaultMaxAnswer = 4000

// answersForm is a posted form, read and checked against the questions.
type answersForm struct {
	// Answers by question id: every question whose field was sent.
	// A text field is always sent (possibly empty); a scale is sent
	// only when one of its buttons is checked.
	Answers map[string]string
}

// parseAnswers reads the answer fields of r for the questions qs. Fields
// of unknown questions are ignored: a form opened before the question set
// changed still saves what it can. An answer that cannot be saved is a
// *prep.AnswerError, as from Service.Save, with the form read so far.
func parseAnswers(r *http.Request, qs []prep.Question, maxLen int) (*answersForm, error) {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, tooBig
		}
		return nil, &badFormError{reason: "The form arrived garbled."}
	}
	f := &answersForm{Answers: map[string]string{}}
	var problem error
	for _, q := range qs {
		vs, ok := r.PostForm[fieldPrefix+q.ID]
		if !ok {
			continue
		}
		if len(vs) != 1 {
			return nil, &badFormError{reason: "A question was answered twice."}
		}
		a := prep.NormalizeAnswer(vs[0])
		f.Answers[q.ID] = a
		if err := checkAnswer(q, a, maxLen); err != nil && problem == nil {
			problem = err
		}
	}
	return f, problem
}

// checkAnswer says, in words for the form, why an answer cannot be saved.
func checkAnswer(q prep.Question, v string, maxLen int) error {
	if q.Kind == kindScale {
		if v != "" && (len(v) != 1 || v[0] < '1' || v[0] > '5') {
			return &prep.AnswerError{QuestionID: q.ID, Reason: "choose a number from 1 to 5"}
		}
		return nil
	}
	if n := utf8.RuneCountInString(v); n > maxLen {
		return &prep.AnswerError{QuestionID: q.ID,
			Reason: fmt.Sprintf("%d characters is too long; keep it under %d", n, maxLen)}
	}
	return nil
}
