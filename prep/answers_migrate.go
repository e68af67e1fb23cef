package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/oneonone/oneonone/prep/store"
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
	step := func(version int, name string, run func(context.Context, sealTx, *AnswerCipher) error) error {
		return onDB(d).RunOnce(ctx, version, name, func(ctx context.Context, tx store.Tx) error {
			ran = true
			return run(ctx, tx, c)
		})
	}
	if err := step(1, "encrypt answers", encryptPlainAnswers); err != nil {
		return err
	}
	if err := checkAnswerKey(ctx, d, c); err != nil {
		return err
	}
	if err := step(2, "encrypt follow-up next steps", encryptPlainNextSteps); err != nil {
		return err
	}
	if ran {
		// The plain text must not live on in the WAL's old page images.
		if err := onDB(d).Checkpoint(ctx); err != nil {
			return fmt.Errorf("prep: encrypt answers: checkpoint: %w", err)
		}
	}
	return nil
}

// sealTx is what sealing the stored text needs of prep's store, inside
// the one-time step's transaction.
type sealTx interface {
	SecureDelete(ctx context.Context) error
	CreateAnswerKey(ctx context.Context, check string) error
	AllAnswers(ctx context.Context, edits bool) ([]store.Answer, error)
	ReplaceAnswerText(ctx context.Context, a store.Answer, text string) error
	AllNextSteps(ctx context.Context) ([]store.StoredSteps, error)
	SetNextSteps(ctx context.Context, id int64, steps string) error
}

// sealSteps is what running the one-time steps needs of prep's store.
type sealSteps interface {
	RunOnce(ctx context.Context, version int, name string, run func(context.Context, store.Tx) error) error
	Checkpoint(ctx context.Context) error
	AnswerKeyCheck(ctx context.Context) (string, error)
}

// checkAnswerKey fails unless c is the key the answers are encrypted with.
func checkAnswerKey(ctx context.Context, d *sql.DB, c *AnswerCipher) error {
	check, err := onDB(d).AnswerKeyCheck(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return errors.New("prep: the record of the answers' key is missing from the database; restore the database from a backup")
	}
	if err != nil {
		return fmt.Errorf("prep: %w", err)
	}
	if check != c.check {
		return errors.New("prep: the secrets key is not the one the answers in this database were encrypted with: " +
			"put the original key file back (secrets_key_file or LoadCredential=secrets-key); with another key no answer can be read")
	}
	return nil
}

// encryptPlainNextSteps encrypts the next steps of every follow-up in
// place. It runs once, as a step (see SealAnswers).
func encryptPlainNextSteps(ctx context.Context, tx sealTx, c *AnswerCipher) error {
	if err := tx.SecureDelete(ctx); err != nil {
		return err
	}
	plain, err := tx.AllNextSteps(ctx)
	if err != nil {
		return err
	}
	for _, p := range plain {
		sealed, err := c.sealSteps(p.FollowUpID, p.Steps)
		if err != nil {
			return err
		}
		if err := tx.SetNextSteps(ctx, p.FollowUpID, sealed); err != nil {
			return err
		}
	}
	return nil
}

// encryptPlainAnswers encrypts every answer and edit in place and records
// c's key check. It runs once, as a step (see SealAnswers).
func encryptPlainAnswers(ctx context.Context, tx sealTx, c *AnswerCipher) error {
	// Zero the space the plain text leaves inside pages, rather than
	// leaving it readable in free space.
	if err := tx.SecureDelete(ctx); err != nil {
		return err
	}
	if err := tx.CreateAnswerKey(ctx, c.check); err != nil {
		return err
	}
	if err := encryptColumn(ctx, tx, c, answerRow, false); err != nil {
		return err
	}
	return encryptColumn(ctx, tx, c, editRow, true)
}

func encryptColumn(ctx context.Context, tx sealTx, c *AnswerCipher, table string, edits bool) error {
	all, err := tx.AllAnswers(ctx, edits)
	if err != nil {
		return fmt.Errorf("read %s rows: %w", table, err)
	}
	for _, r := range all {
		sealed, err := c.seal(table, r.RequestID, r.QuestionID, r.Text)
		if err != nil {
			return err
		}
		if err := tx.ReplaceAnswerText(ctx, r, sealed); err != nil {
			return fmt.Errorf("encrypt %s %q of request %d: %w", table, r.QuestionID, r.RequestID, err)
		}
	}
	return nil
}
