package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is a row that is not there.
var ErrNotFound = errors.New("prep store: not found")

// FollowUp is one row of prep_followups: a follow-up or a nudge link.
// NextSteps is as stored: sealed by prep's answer cipher.
type FollowUp struct {
	ID                      int64
	Kind                    string
	SeriesUID, RecurrenceID string
	Email, Name             string
	Seed                    string
	Created, Expires        time.Time
	Outcome, NextSteps      string
	Answered                time.Time
}

const followColumns = `id, kind, series_uid, recurrence_id, email, name, token_seed, created_at, expires_at,
	outcome, next_steps, answered_at`

func scanFollow(row interface{ Scan(...any) error }) (FollowUp, error) {
	var f FollowUp
	var created, expires string
	var answered sql.NullString
	err := row.Scan(&f.ID, &f.Kind, &f.SeriesUID, &f.RecurrenceID, &f.Email, &f.Name, &f.Seed, &created, &expires,
		&f.Outcome, &f.NextSteps, &answered)
	if err != nil {
		return f, err
	}
	if f.Created, err = parseTime(created); err != nil {
		return f, err
	}
	if f.Expires, err = parseTime(expires); err != nil {
		return f, err
	}
	if answered.Valid {
		f.Answered, err = parseTime(answered.String)
	}
	return f, err
}

// FollowUpByTokenHash returns the row of a link token's hash, or
// ErrNotFound.
func (c conn) FollowUpByTokenHash(ctx context.Context, hash string) (FollowUp, error) {
	f, err := scanFollow(c.q.QueryRowContext(ctx, `SELECT `+followColumns+` FROM prep_followups WHERE token_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("follow-up by token: %w", err)
	}
	return f, nil
}

// FollowUpExists reports whether the row of (kind, series, key, email)
// is there; email is lowercased by the caller.
func (c conn) FollowUpExists(ctx context.Context, kind, seriesUID, key, email string) (bool, error) {
	var n int
	err := c.q.QueryRowContext(ctx, `SELECT count(*) FROM prep_followups WHERE kind = ? AND series_uid = ? AND recurrence_id = ? AND email = ?`,
		kind, seriesUID, key, email).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("%s of %s %s for %s: %w", kind, seriesUID, key, email, err)
	}
	return n > 0, nil
}

// InsertFollowUp stores f with the hash of its token, inside the caller's
// transaction (the one that enqueues its mail), and sets f.ID. When the
// row of (kind, series, key, email) is there already (another instance
// sharing the database made it first), nothing is stored and no error
// ends the transaction: f becomes the stored row and created is false.
func (w Tx) InsertFollowUp(ctx context.Context, f *FollowUp, hash string) (created bool, err error) {
	err = w.tx.QueryRowContext(ctx, `INSERT INTO prep_followups
		(kind, series_uid, recurrence_id, email, name, token_seed, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, series_uid, recurrence_id, email) DO NOTHING RETURNING id`,
		f.Kind, f.SeriesUID, f.RecurrenceID, f.Email, f.Name, f.Seed, hash, formatTime(f.Created), formatTime(f.Expires)).Scan(&f.ID)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("insert %s %s %s %s: %w", f.Kind, f.SeriesUID, f.RecurrenceID, f.Email, err)
	}
	existing, err := scanFollow(w.tx.QueryRowContext(ctx, `SELECT `+followColumns+` FROM prep_followups
		WHERE kind = ? AND series_uid = ? AND recurrence_id = ? AND email = ?`, f.Kind, f.SeriesUID, f.RecurrenceID, f.Email))
	if err != nil {
		return false, fmt.Errorf("insert %s %s %s %s: existing: %w", f.Kind, f.SeriesUID, f.RecurrenceID, f.Email, err)
	}
	*f = existing
	return false, nil
}

// SaveFollowUpAnswer records the answer of follow-up id; steps are sealed.
func (c conn) SaveFollowUpAnswer(ctx context.Context, id int64, outcome, steps string, at time.Time) error {
	_, err := c.q.ExecContext(ctx, `UPDATE prep_followups SET outcome = ?, next_steps = ?, answered_at = ? WHERE id = ?`,
		outcome, steps, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("save follow-up %d: %w", id, err)
	}
	return nil
}
