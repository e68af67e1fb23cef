package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Request is one row of prep_requests: one person's invitation to
// prepare one occurrence. Questions is prep's encoding of the questions
// asked; zero times are NULL.
type Request struct {
	ID                      int64
	SeriesUID, RecurrenceID string
	Email, Name, Role       string
	Questions               string
	Seed                    string
	Created, Sent, Reminded time.Time
	Answered, Expires       time.Time
}

const requestColumns = `id, series_uid, recurrence_id, email, name, role, questions, token_seed,
	created_at, sent_at, reminded_at, answered_at, expires_at`

func scanRequest(row interface{ Scan(...any) error }) (Request, error) {
	var r Request
	var created, expires string
	var sent, reminded, answered sql.NullString
	err := row.Scan(&r.ID, &r.SeriesUID, &r.RecurrenceID, &r.Email, &r.Name, &r.Role, &r.Questions, &r.Seed,
		&created, &sent, &reminded, &answered, &expires)
	if err != nil {
		return r, err
	}
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{
		{&r.Created, sql.NullString{String: created, Valid: true}}, {&r.Sent, sent}, {&r.Reminded, reminded},
		{&r.Answered, answered}, {&r.Expires, sql.NullString{String: expires, Valid: true}},
	} {
		if !f.src.Valid || f.src.String == "" {
			continue
		}
		if *f.dst, err = parseTime(f.src.String); err != nil {
			return r, err
		}
	}
	return r, nil
}

// RequestFor returns the request of email (lowercased) for an
// occurrence, or ErrNotFound.
func (c conn) RequestFor(ctx context.Context, seriesUID, recurrenceID, email string) (Request, error) {
	r, err := scanRequest(c.q.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM prep_requests
		WHERE series_uid = ? AND recurrence_id = ? AND email = ?`, seriesUID, recurrenceID, email))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("request %s %s %s: %w", seriesUID, recurrenceID, email, err)
	}
	return r, nil
}

// RequestByTokenHash returns the request of a link token's hash, or
// ErrNotFound.
func (c conn) RequestByTokenHash(ctx context.Context, hash string) (Request, error) {
	r, err := scanRequest(c.q.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM prep_requests
		WHERE token_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("request by token: %w", err)
	}
	return r, nil
}

// InsertRequest stores r, whose token hash is hash, in the caller's
// transaction (the one that enqueues its invite), and returns its id.
// When the person already has a request for the occurrence (another
// instance sharing the database made it first), nothing is stored and no
// error ends the transaction: it returns that request's id and
// created=false, and the invite is the other instance's to send.
func (w Tx) InsertRequest(ctx context.Context, r Request, hash string) (id int64, created bool, err error) {
	err = w.tx.QueryRowContext(ctx, `INSERT INTO prep_requests
		(series_uid, recurrence_id, email, name, role, questions, token_seed, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (series_uid, recurrence_id, email) DO NOTHING RETURNING id`,
		r.SeriesUID, r.RecurrenceID, r.Email, r.Name, r.Role, r.Questions, r.Seed, hash,
		formatTime(r.Created), formatTime(r.Expires)).Scan(&id)
	if err == nil {
		return id, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("insert request %s %s %s: %w", r.SeriesUID, r.RecurrenceID, r.Email, err)
	}
	existing, err := w.RequestFor(ctx, r.SeriesUID, r.RecurrenceID, r.Email)
	if err != nil {
		return 0, false, fmt.Errorf("insert request: existing: %w", err)
	}
	return existing.ID, false, nil
}

// The instants of a request that change after it is made.
const (
	RequestSent     = "sent_at"
	RequestReminded = "reminded_at"
	RequestAnswered = "answered_at"
	RequestExpires  = "expires_at"
)

// SetRequestTime sets one instant of request id; column is one of the
// Request… constants.
func (w Tx) SetRequestTime(ctx context.Context, id int64, column string, t time.Time) error {
	switch column {
	case RequestSent, RequestReminded, RequestAnswered, RequestExpires:
	default:
		return fmt.Errorf("request %d: %q is not an instant of a request", id, column)
	}
	_, err := w.tx.ExecContext(ctx, `UPDATE prep_requests SET `+column+` = ? WHERE id = ?`, formatTime(t), id)
	if err != nil {
		return fmt.Errorf("request %d: set %s: %w", id, column, err)
	}
	return nil
}

// Requests returns the requests of an occurrence.
func (c conn) Requests(ctx context.Context, seriesUID, recurrenceID string) ([]Request, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT `+requestColumns+` FROM prep_requests
		WHERE series_uid = ? AND recurrence_id = ?`, seriesUID, recurrenceID)
	if err != nil {
		return nil, fmt.Errorf("requests of %s %s: %w", seriesUID, recurrenceID, err)
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("requests of %s %s: %w", seriesUID, recurrenceID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
