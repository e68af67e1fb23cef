package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/prep/store"
)

// request is one row of prep_requests.
type request struct {
	ID                      int64
	SeriesUID, RecurrenceID string
	Email, Name, Role       string
	Questions               []Question
	Seed                    string
	Created, Sent, Reminded time.Time
	Answered, Expires       time.Time
}

const requestColumns = `id, series_uid, recurrence_id, email, name, role, questions, token_seed,
	created_at, sent_at, reminded_at, answered_at, expires_at`

func scanRequest(row interface{ Scan(...any) error }) (request, error) {
	var r request
	var questions, created, expires string
	var sent, reminded, answered sql.NullString
	err := row.Scan(&r.ID, &r.SeriesUID, &r.RecurrenceID, &r.Email, &r.Name, &r.Role, &questions, &r.Seed,
		&created, &sent, &reminded, &answered, &expires)
	if err != nil {
		return r, err
	}
	if r.Questions, err = decodeQuestions(questions); err != nil {
		return r, err
	}
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{
		{&r.Created, sql.NullString{String: created, Valid: true}}, {&r.Sent, sent}, {&r.Reminded, reminded},
		{&r.Answered, answered}, {&r.Expires, sql.NullString{String: expires, Valid: true}},
	} {
		if *f.dst, err = nullTime(f.src); err != nil {
			return r, err
		}
	}
	return r, nil
}

// requestFor returns the request of email for an occurrence; ok is false
// when there is none.
func requestFor(ctx context.Context, q querier, seriesUID, recurrenceID, email string) (request, bool, error) {
	r, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM prep_requests
		WHERE series_uid = ? AND recurrence_id = ? AND email = ?`, seriesUID, recurrenceID, normEmail(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("prep: request %s %s %s: %w", seriesUID, recurrenceID, email, err)
	}
	return r, true, nil
}

// requestByToken returns the request a link token belongs to, or
// ErrUnknownLink.
func requestByToken(ctx context.Context, q querier, token string) (request, error) {
	if !wellFormed(token) {
		return request{}, ErrUnknownLink
	}
	r, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM prep_requests
		WHERE token_hash = ?`, HashToken(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrUnknownLink
	}
	if err != nil {
		return r, fmt.Errorf("prep: request by token: %w", err)
	}
	return r, nil
}

// insertRequest stores r, whose token hash is hash, and sets r.ID.
func insertRequest(ctx context.Context, tx *sql.Tx, r *request, hash string) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO prep_requests
		(series_uid, recurrence_id, email, name, role, questions, token_seed, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.SeriesUID, r.RecurrenceID, r.Email, r.Name, r.Role, encodeQuestions(r.Questions), r.Seed, hash,
		fmtTime(r.Created), fmtTime(r.Expires))
	if err != nil {
		return fmt.Errorf("prep: insert request %s %s %s: %w", r.SeriesUID, r.RecurrenceID, r.Email, err)
	}
	r.ID, err = res.LastInsertId()
	return err
}

// setRequestTime sets one of the instants of request id (column is
// sent_at, reminded_at, answered_at or expires_at, never user input).
func setRequestTime(ctx context.Context, tx *sql.Tx, id int64, column string, t time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE prep_requests SET `+column+` = ? WHERE id = ?`, fmtTime(t), id)
	if err != nil {
		return fmt.Errorf("prep: request %d: set %s: %w", id, column, err)
	}
	return nil
}

// requestsOf returns the requests of an occurrence by email.
func requestsOf(ctx context.Context, q querier, seriesUID, recurrenceID string) (map[string]request, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+requestColumns+` FROM prep_requests
		WHERE series_uid = ? AND recurrence_id = ?`, seriesUID, recurrenceID)
	if err != nil {
		return nil, fmt.Errorf("prep: requests of %s %s: %w", seriesUID, recurrenceID, err)
	}
	defer rows.Close()
	out := map[string]request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("prep: requests of %s %s: %w", seriesUID, recurrenceID, err)
		}
		out[r.Email] = r
	}
	return out, rows.Err()
}

// paused reports whether email paused prep mails for the series.
func paused(ctx context.Context, q querier, seriesUID, email string) (bool, error) {
	off, err := store.Paused(ctx, q, seriesUID, normEmail(email))
	if err != nil {
		return false, fmt.Errorf("prep: %w", err)
	}
	return off, nil
}
