package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/prep/store"
)

// answerReads is what reading answers needs of prep's store.
type answerReads interface {
	Answers(ctx context.Context, requestID int64) ([]store.Answer, error)
}

// answerWrites is what saving an answer needs of prep's store.
type answerWrites interface {
	SaveAnswer(ctx context.Context, requestID int64, questionID, text, edit string, clear bool, at time.Time) error
}

// ErrInvalidAnswer is what every AnswerError wraps.
var ErrInvalidAnswer = errors.New("prep: invalid answer")

// AnswerError says which answer of a Save was refused and why, in words
// the form can show next to the question.
type AnswerError struct {
	QuestionID string
	Reason     string
}

func (e *AnswerError) Error() string {
	return fmt.Sprintf("prep: answer to %q: %s", e.QuestionID, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalidAnswer) hold.
func (e *AnswerError) Unwrap() error { return ErrInvalidAnswer }

// cleanAnswers checks answers against the questions asked and returns them
// normalised: line ends as \n, no other control characters, no trailing
// space. Unknown question ids, answers longer than max characters and
// scale answers other than 1–5 are refused; "" clears an answer.
func cleanAnswers(qs []Question, answers map[string]string, max int) (map[string]string, error) {
	out := make(map[string]string, len(answers))
	for id, text := range answers {
		var kind string
		found := false
		for _, q := range qs {
			if q.ID == id {
				kind, found = q.Kind, true
				break
			}
		}
		if !found {
			return nil, &AnswerError{QuestionID: id, Reason: "there is no such question on this form"}
		}
		text = normalizeAnswer(text)
		switch n := utf8.RuneCountInString(text); {
		case kind == "scale" && text != "" && (len(text) != 1 || text[0] < '1' || text[0] > '5'):
			return nil, &AnswerError{QuestionID: id, Reason: "choose a number from 1 to 5"}
		case n > max:
			return nil, &AnswerError{QuestionID: id, Reason: fmt.Sprintf("%d characters is too long; keep it under %d", n, max)}
		}
		out[id] = text
	}
	return out, nil
}

// normalizeAnswer is what is stored of a typed answer. Browsers send CRLF
// line ends; invalid UTF-8 becomes U+FFFD.
func normalizeAnswer(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !calendars.IsControl(r) {
			return r
		}
		return -1
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// answersOf returns the answers of a request by question id and when the
// latest was saved, decrypted with c.
func answersOf(ctx context.Context, q reads, c *AnswerCipher, requestID int64) (map[string]string, time.Time, error) {
	stored, err := q.Answers(ctx, requestID)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("prep: %w", err)
	}
	out := map[string]string{}
	var latest time.Time
	for _, a := range stored {
		if out[a.QuestionID], err = c.open(answerRow, requestID, a.QuestionID, a.Text); err != nil {
			return nil, time.Time{}, err
		}
		if a.At.After(latest) {
			latest = a.At
		}
	}
	return out, latest, nil
}

// saveAnswers stores the answers that changed, each with a line of edit
// history, both encrypted with c, and marks the request answered at its
// first non-empty answer.
func saveAnswers(ctx context.Context, tx *sql.Tx, c *AnswerCipher, r request, answers map[string]string, now time.Time) error {
	old, _, err := answersOf(ctx, inTx(tx), c, r.ID)
	if err != nil {
		return err
	}
	answered := false
	for _, q := range r.Questions { // in question order, for a readable history
		id := q.ID
		text, ok := answers[id]
		answered = answered || text != ""
		if !ok || old[id] == text {
			continue
		}
		if err := saveAnswer(ctx, tx, c, r.ID, id, text, now); err != nil {
			return err
		}
	}
	if answered && r.Answered.IsZero() {
		return setRequestTime(ctx, tx, r.ID, "answered_at", now)
	}
	return nil
}

func saveAnswer(ctx context.Context, tx *sql.Tx, c *AnswerCipher, requestID int64, id, text string, now time.Time) error {
	edit, err := c.seal(editRow, requestID, id, text)
	if err != nil {
		return err
	}
	var sealed string
	if text != "" {
		if sealed, err = c.seal(answerRow, requestID, id, text); err != nil {
			return err
		}
	}
	if err := inTx(tx).SaveAnswer(ctx, requestID, id, sealed, edit, text == "", now); err != nil {
		return fmt.Errorf("prep: %w", err)
	}
	return nil
}
