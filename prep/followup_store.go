package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// followRow is one row of prep_followups.
type followRow struct {
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

func scanFollow(row interface{ Scan(...any) error }) (followRow, error) {
	var f followRow
	var created, expires string
	var answered sql.NullString
	err := row.Scan(&f.ID, &f.Kind, &f.SeriesUID, &f.RecurrenceID, &f.Email, &f.Name, &f.Seed, &created, &expires,
		&f.Outcome, &f.NextSteps, &answered)
	if err != nil {
		return f, err
	}
	if f.Created, err = nullTime(sql.NullString{String: created, Valid: true}); err != nil {
		return f, err
	}
	if f.Expires, err = nullTime(sql.NullString{String: expires, Valid: true}); err != nil {
		return f, err
	}
	f.Answered, err = nullTime(answered)
	return f, err
}

// followByToken returns the follow-up or nudge row of a link token, or
// ErrUnknownLink.
func followByToken(ctx context.Context, q querier, token string) (followRow, error) {
	if !wellFormed(token) {
		return followRow{}, ErrUnknownLink
	}
	f, err := scanFollow(q.QueryRowContext(ctx, `SELECT `+followColumns+` FROM prep_followups WHERE token_hash = ?`, HashToken(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrUnknownLink
	}
	if err != nil {
		return f, fmt.Errorf("prep: follow-up by token: %w", err)
	}
	return f, nil
}

// followExists reports whether the row of (kind, series, key, email) is
// there, that is, whether its mail was enqueued.
func followExists(ctx context.Context, q querier, kind, seriesUID, key, email string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM prep_followups WHERE kind = ? AND series_uid = ? AND recurrence_id = ? AND email = ?`,
		kind, seriesUID, key, normEmail(email)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("prep: %s of %s %s for %s: %w", kind, seriesUID, key, email, err)
	}
	return n > 0, nil
}

// insertFollow stores f with the hash of its token and sets f.ID.
func insertFollow(ctx context.Context, tx *sql.Tx, f *followRow, hash string) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO prep_followups
		(kind, series_uid, recurrence_id, email, name, token_seed, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.Kind, f.SeriesUID, f.RecurrenceID, f.Email, f.Name, f.Seed, hash, fmtTime(f.Created), fmtTime(f.Expires))
	if err != nil {
		return fmt.Errorf("prep: insert %s %s %s %s: %w", f.Kind, f.SeriesUID, f.RecurrenceID, f.Email, err)
	}
	f.ID, err = res.LastInsertId()
	return err
}

// followUpSteps returns the next steps people wrote in their "held"
// follow-ups of an occurrence, by lowercased email, decrypted with c.
func followUpSteps(ctx context.Context, q querier, c *AnswerCipher, seriesUID, key string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, email, next_steps FROM prep_followups
		WHERE kind = 'followup' AND series_uid = ? AND recurrence_id = ? AND outcome = 'held' AND next_steps <> ''`, seriesUID, key)
	if err != nil {
		return nil, fmt.Errorf("prep: next steps of %s %s: %w", seriesUID, key, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id int64
		var email, stored string
		if err := rows.Scan(&id, &email, &stored); err != nil {
			return nil, fmt.Errorf("prep: next steps of %s %s: %w", seriesUID, key, err)
		}
		steps, err := c.openSteps(id, stored)
		if err != nil {
			return nil, err
		}
		out[email] = steps
	}
	return out, rows.Err()
}

// followUpCarryOver is the part of carryOver from prev's follow-ups: each
// person's next steps, under their name.
func followUpCarryOver(ctx context.Context, q querier, c *AnswerCipher, prev Meeting) (string, error) {
	steps, err := followUpSteps(ctx, q, c, prev.SeriesUID, prev.RecurrenceID)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range prev.People {
		if text := cleanUntrusted(steps[normEmail(p.Email)], agendaAnswerMax); text != "" {
			fmt.Fprintf(&b, "%s — Next steps agreed\n%s\n", label(p), indent(text, "  "))
		}
	}
	return b.String(), nil
}
