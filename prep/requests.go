package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/prep/store"
)

// requestReads is what reading requests needs of prep's store.
type requestReads interface {
	RequestFor(ctx context.Context, seriesUID, recurrenceID, email string) (store.Request, error)
	RequestByTokenHash(ctx context.Context, hash string) (store.Request, error)
	Requests(ctx context.Context, seriesUID, recurrenceID string) ([]store.Request, error)
	Paused(ctx context.Context, seriesUID, email string) (bool, error)
}

// requestWrites is what making and updating requests needs of prep's
// store, in the transaction that enqueues their mail.
type requestWrites interface {
	InsertRequest(ctx context.Context, r store.Request, hash string) (id int64, created bool, err error)
	SetRequestTime(ctx context.Context, id int64, column string, t time.Time) error
}

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

// fromStored is the request of a stored row.
func fromStored(s store.Request) (request, error) {
	qs, err := decodeQuestions(s.Questions)
	if err != nil {
		return request{}, fmt.Errorf("prep: request %d: %w", s.ID, err)
	}
	return request{ID: s.ID, SeriesUID: s.SeriesUID, RecurrenceID: s.RecurrenceID, Email: s.Email, Name: s.Name,
		Role: s.Role, Questions: qs, Seed: s.Seed, Created: s.Created, Sent: s.Sent, Reminded: s.Reminded,
		Answered: s.Answered, Expires: s.Expires}, nil
}

// requestFor returns the request of email for an occurrence; ok is false
// when there is none.
func requestFor(ctx context.Context, q reads, seriesUID, recurrenceID, email string) (request, bool, error) {
	s, err := q.RequestFor(ctx, seriesUID, recurrenceID, normEmail(email))
	if errors.Is(err, store.ErrNotFound) {
		return request{}, false, nil
	}
	if err != nil {
		return request{}, false, fmt.Errorf("prep: %w", err)
	}
	r, err := fromStored(s)
	return r, err == nil, err
}

// requestByToken returns the request a link token belongs to, or
// ErrUnknownLink.
func requestByToken(ctx context.Context, q reads, token string) (request, error) {
	if !wellFormed(token) {
		return request{}, ErrUnknownLink
	}
	s, err := q.RequestByTokenHash(ctx, HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return request{}, ErrUnknownLink
	}
	if err != nil {
		return request{}, fmt.Errorf("prep: %w", err)
	}
	return fromStored(s)
}

// insertRequest stores r, whose token hash is hash, and sets r.ID;
// created is false when the person had a request for the occurrence
// already (another instance made it at the same moment, with its mail):
// then nothing is stored and the caller leaves the occurrence alone.
func insertRequest(ctx context.Context, tx *sql.Tx, r *request, hash string) (created bool, err error) {
	r.ID, created, err = inTx(tx).InsertRequest(ctx, store.Request{SeriesUID: r.SeriesUID, RecurrenceID: r.RecurrenceID,
		Email: r.Email, Name: r.Name, Role: r.Role, Questions: encodeQuestions(r.Questions), Seed: r.Seed,
		Created: r.Created, Expires: r.Expires}, hash)
	if err != nil {
		return false, fmt.Errorf("prep: %w", err)
	}
	return created, nil
}

// setRequestTime sets one of the instants of request id (column is
// sent_at, reminded_at, answered_at or expires_at, never user input).
func setRequestTime(ctx context.Context, tx *sql.Tx, id int64, column string, t time.Time) error {
	if err := inTx(tx).SetRequestTime(ctx, id, column, t); err != nil {
		return fmt.Errorf("prep: %w", err)
	}
	return nil
}

// requestsOf returns the requests of an occurrence by email.
func requestsOf(ctx context.Context, q reads, seriesUID, recurrenceID string) (map[string]request, error) {
	stored, err := q.Requests(ctx, seriesUID, recurrenceID)
	if err != nil {
		return nil, fmt.Errorf("prep: %w", err)
	}
	out := make(map[string]request, len(stored))
	for _, s := range stored {
		r, err := fromStored(s)
		if err != nil {
			return nil, err
		}
		out[r.Email] = r
	}
	return out, nil
}

// paused reports whether email paused prep mails for the series.
func paused(ctx context.Context, q reads, seriesUID, email string) (bool, error) {
	off, err := q.Paused(ctx, seriesUID, normEmail(email))
	if err != nil {
		return false, fmt.Errorf("prep: %w", err)
	}
	return off, nil
}
