package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/oneonone/oneonone/sync/db"
)

// AnswerKeyCheck returns the recorded check of the key the answers are
// sealed with, or ErrNotFound.
func (c conn) AnswerKeyCheck(ctx context.Context) (string, error) {
	var check string
	err := c.q.QueryRowContext(ctx, `SELECT key_check FROM prep_answer_key WHERE id = 1`).Scan(&check)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("answers' key: %w", err)
	}
	return check, nil
}

// CreateAnswerKey records check as the key the answers are sealed with,
// once per database (in the one-time step that seals them).
func (w Tx) CreateAnswerKey(ctx context.Context, check string) error {
	if _, err := w.tx.ExecContext(ctx, `CREATE TABLE prep_answer_key (
		id        INTEGER PRIMARY KEY CHECK (id = 1),
		key_check TEXT NOT NULL -- HMAC of the answer key: which key the answers are encrypted with
	)`); err != nil {
		return err
	}
	_, err := w.tx.ExecContext(ctx, `INSERT INTO prep_answer_key (id, key_check) VALUES (1, ?)`, check)
	return err
}

// SecureDelete makes the rest of tx zero the space that replaced text
// leaves inside pages, rather than leaving it readable in free space.
func (w Tx) SecureDelete(ctx context.Context) error {
	if db.DialectFrom(ctx) != db.SQLite {
		return nil // PostgreSQL's VACUUM reclaims dead rows; it has no such switch
	}
	_, err := w.tx.ExecContext(ctx, `PRAGMA secure_delete = ON`)
	return err
}

// Checkpoint copies the WAL into the database and empties it, so that
// replaced text does not live on in the WAL's old page images.
func (s Store) Checkpoint(ctx context.Context) error {
	if db.DialectOf(s.db) != db.SQLite {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// AllAnswers returns every answer, or with edits every edit, for the
// one-time step that seals what an older version stored in plain text.
func (w Tx) AllAnswers(ctx context.Context, edits bool) ([]Answer, error) {
	query := `SELECT request_id, question_id, text, 0 FROM prep_answers`
	if edits {
		query = `SELECT request_id, question_id, text, id FROM prep_answer_edits`
	}
	rows, err := w.tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var a Answer
		if err := rows.Scan(&a.RequestID, &a.QuestionID, &a.Text, &a.EditID); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ReplaceAnswerText replaces the stored text of a (an answer, or an edit
// when a.EditID is set) with text.
func (w Tx) ReplaceAnswerText(ctx context.Context, a Answer, text string) error {
	var err error
	if a.EditID != 0 {
		_, err = w.tx.ExecContext(ctx, `UPDATE prep_answer_edits SET text = ? WHERE request_id = ? AND question_id = ? AND id = ?`,
			text, a.RequestID, a.QuestionID, a.EditID)
	} else {
		_, err = w.tx.ExecContext(ctx, `UPDATE prep_answers SET text = ? WHERE request_id = ? AND question_id = ?`,
			text, a.RequestID, a.QuestionID)
	}
	return err
}
