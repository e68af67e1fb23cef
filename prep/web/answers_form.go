package web

import (
	"errors"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/oneonone/oneonone/prep"
)

// maxAnswerLen bounds one answer, in characters; the textarea says so
// too, so only a hand-made request meets the server's check.
const maxAnswerLen = 8000

// answersForm is a posted form, read and checked against the questions.
type answersForm struct {
	// Answers by question id: every question whose field was sent.
	// A text field is always sent (possibly empty); a scale is sent
	// only when one of its buttons is checked.
	Answers map[string]string
}

// parseAnswers reads the answer fields of r for the questions qs. Fields
// of unknown questions are ignored: a form opened before the question set
// changed still saves what it can.
func parseAnswers(r *http.Request, qs []prep.Question) (*answersForm, error) {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, tooBig
		}
		return nil, &badFormError{reason: "The form arrived garbled."}
	}
	f := &answersForm{Answers: map[string]string{}}
	for _, q := range qs {
		vs, ok := r.PostForm[fieldPrefix+q.ID]
		if !ok {
			continue
		}
		if len(vs) != 1 {
			return nil, &badFormError{reason: "A question was answered twice."}
		}
		a, err := cleanAnswer(q, vs[0])
		if err != nil {
			return nil, err
		}
		f.Answers[q.ID] = a
	}
	return f, nil
}

// cleanAnswer normalizes one answer (line ends, stray control characters,
// surrounding space) and checks it against its question.
func cleanAnswer(q prep.Question, v string) (string, error) {
	v = strings.ToValidUTF8(v, "\uFFFD")
	v = strings.ReplaceAll(v, "\r\n", "\n")
	v = strings.Map(func(c rune) rune {
		if c == '\n' || c == '\t' || !unicode.IsControl(c) {
			return c
		}
		return -1
	}, v)
	v = strings.TrimSpace(v)
	if q.Kind == kindScale {
		if v != "" && (len(v) != 1 || v[0] < '1' || v[0] > '5') {
			return "", &badFormError{reason: "“" + q.Text + "” takes a number from 1 to 5."}
		}
		return v, nil
	}
	if utf8.RuneCountInString(v) > maxAnswerLen {
		return "", &badFormError{reason: "The answer to “" + q.Text + "” is longer than this form takes."}
	}
	return v, nil
}
