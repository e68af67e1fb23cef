package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/oneonone/oneonone/prep/store"
	"github.com/oneonone/oneonone/sync/db"
)

// SealAnswers readies the stored answers for c; the daemon calls it at
// start, before anything reads or writes an answer. Once per database it
// encrypts the answers and their edit history that earlier versions
// stored in plain text, and records which key they are encrypted with, in
// one transaction. At every start it checks that c is that key: a wrong
// key file stops the start with a clear message instead of failing every
// form, and nothing is ever written with it. Then, once, it encrypts the
// follow-ups' next steps that earlier versions stored in plain text.
func SealAnswers(ctx context.Context, d *sql.DB, c *AnswerCipher) error {
	if c == nil {
		return errNoAnswerCipher
	}
	ran := false
	step := func(version int, name string, run func(context.Context, *sql.Tx, *AnswerCipher) error) db.Step {
		return db.Step{Owner: "prep-steps", Version: version, Name: name, Run: func(ctx context.Context, tx *sql.Tx) error {
			ran = true
			return run(ctx, tx, c)
		}}
	}
	if err := db.RunSteps(ctx, d, step(1, "encrypt answers", encryptPlainAnswers)); err != nil {
		return err
	}
	if err := checkAnswerKey(ctx, d, c); err != nil {
		return err
	}
	if err := db.RunSteps(ctx, d, step(2, "encrypt follow-up next steps", encryptPlainNextSteps)); err != nil {
		return err
	}
	if ran {
		// The plain text must not live on in the WAL's old page images.
		if _, err := d.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return fmt.Errorf("prep: encrypt answers: checkpoint: %w", err)
		}
	}
	return nil
}

// checkAnswerKey fails unless c is the key the answers are encrypted with.
func checkAnswerKey(ctx context.Context, d *sql.DB, c *AnswerCipher) error {
	var check string
	err := d.QueryRowContext(ctx, `SELECT key_check FROM prep_answer_key WHERE id = 1`).Scan(&check)
	if errors.Is(err, sql.ErrNoRows) {
		return errors.New("prep: the record of the answers' key is missing from the database; restore the database from a backup")
	}
	if err != nil {
		return fmt.Errorf("prep: answers' key: %w", err)
	}
	if check != c.check {
		return errors.New("prep: the secrets key is not the one the answers in this database were encrypted with: " +
			"put the original key file back (secrets_key_file or LoadCredential=secrets-key); with another key no answer can be read")
	}
	return nil
}

// encryptPlainNextSteps encrypts the next steps of every follow-up in
// place. It runs once, as a step (see SealAnswers).
func encryptPlainNextSteps(ctx context.Context, tx *sql.Tx, c *AnswerCipher) error {
	if _, err := tx.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return err
	}
	plain, err := store.AllNextSteps(ctx, tx)
	if err != nil {
		return err
	}
	for _, p := range plain {
		sealed, err := c.sealSteps(p.FollowUpID, p.Steps)
		if err != nil {
			return err
		}
		if err := store.SetNextSteps(ctx, tx, p.FollowUpID, sealed); err != nil {
			return err
		}
	}
	return nil
}

// encryptPlainAnswers encrypts every answer and edit in place and records
// c's key check. It runs once, as a step (see SealAnswers).
func encryptPlainAnswers(ctx context.Context, tx *sql.Tx, c *AnswerCipher) error {
	// Zero the space the plain text leaves inside pages, rather than
	// leaving it readable in free space.
	if _, err := tx.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE prep_answer_key (
		id        INTEGER PRIMARY KEY CHECK (id = 1),
		key_check TEXT NOT NULL -- HMAC of the answer key: which key the answers are encrypted with
	)`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO prep_answer_key (id, key_check) VALUES (1, ?)`, c.check); err != nil {
		return err
	}
	if err := encryptColumn(ctx, tx, c, answerRow, `SELECT request_id, question_id, text FROM prep_answers`,
		`UPDATE prep_answers SET text = ? WHERE request_id = ? AND question_id = ?`, false); err != nil {
		return err
	}
	return encryptColumn(ctx, tx, c, editRow, `SELECT request_id, question_id, text, id FROM prep_answer_edits`,
		`UPDATE prep_answer_edits SET text = ? WHERE request_id = ? AND question_id = ? AND id = ?`, true)
}

type plainRow struct {
	requestID  int64
	questionID string
	text       string
	id         int64
}

func encryptColumn(ctx context.Context, tx *sql.Tx, c *AnswerCipher, table, query, update string, withID bool) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("read %s rows: %w", table, err)
	}
	var all []plainRow
	for rows.Next() {
		var r plainRow
		dest := []any{&r.requestID, &r.questionID, &r.text}
		if withID {
			dest = append(dest, &r.id)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return fmt.Errorf("read %s rows: %w", table, err)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s rows: %w", table, err)
	}
	for _, r := range all {
		sealed, err := c.seal(table, r.requestID, r.questionID, r.text)
		if err != nil {
			return err
		}
		args := []any{sealed, r.requestID, r.questionID}
		if withID {
			args = append(args, r.id)
		}
		if _, err := tx.ExecContext(ctx, update, args...); err != nil {
			return fmt.Errorf("encrypt %s %q of request %d: %w", table, r.questionID, r.requestID, err)
		}
	}
	return nil
}
