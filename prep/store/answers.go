package store

import (
	"context"
	"fmt"
	"time"
)

// Answer is one stored answer or edit: Text is sealed by prep's answer
// cipher, bound to the request and question.
type Answer struct {
	RequestID  int64
	QuestionID string
	Text       string
	At         time.Time // updated_at of an answer, edited_at of an edit
	EditID     int64     // an edit's row id; 0 for an answer
}

// Answers returns the answers of a request.
func (c conn) Answers(ctx context.Context, requestID int64) ([]Answer, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT question_id, text, updated_at FROM prep_answers WHERE request_id = ?`, requestID)
	if err != nil {
		return nil, fmt.Errorf("answers of request %d: %w", requestID, err)
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		a := Answer{RequestID: requestID}
		var at string
		if err := rows.Scan(&a.QuestionID, &a.Text, &at); err != nil {
			return nil, fmt.Errorf("answers of request %d: %w", requestID, err)
		}
		if a.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("answers of request %d: %w", requestID, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("answers of request %d: %w", requestID, err)
	}
	return out, nil
}

// SaveAnswer sets (or, with clear, deletes) an answer and adds a line of
// edit history, in the caller's transaction. text and edit are sealed.
func (w Tx) SaveAnswer(ctx context.Context, requestID int64, questionID, text, edit string, clear bool, at time.Time) error {
	var err error
	if clear {
		_, err = w.tx.ExecContext(ctx, `DELETE FROM prep_answers WHERE request_id = ? AND question_id = ?`, requestID, questionID)
	} else {
		_, err = w.tx.ExecContext(ctx, `INSERT INTO prep_answers (request_id, question_id, text, updated_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (request_id, question_id)
			DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`, requestID, questionID, text, formatTime(at))
	}
	if err == nil {
		_, err = w.tx.ExecContext(ctx, `INSERT INTO prep_answer_edits (request_id, question_id, text, edited_at)
			VALUES (?, ?, ?, ?)`, requestID, questionID, edit, formatTime(at))
	}
	if err != nil {
		return fmt.Errorf("save answer %s of request %d: %w", questionID, requestID, err)
	}
	return nil
}
