package mailer

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ErrNotDue is returned by MarkSending when the message is no longer queued
// or deferred: another worker took it, or it was already finished.
var ErrNotDue = errors.New("mailer: message is not due")

// ErrNotFound is returned for an outbox id that does not exist.
var ErrNotFound = errors.New("mailer: message not found")

// Queue is the durable outbox the worker sends from (mailer/store keeps
// it in the database). Each method owns its transaction; Enqueue joins
// the caller's, so that a mail exists exactly when what it is about does.
type Queue interface {
	// Enqueue adds m inside tx (its own transaction when tx is nil); a
	// message whose dedup key is there already is not added again.
	Enqueue(ctx context.Context, tx *sql.Tx, m Message) (id int64, created bool, err error)
	// Due returns up to limit queued or deferred messages due at now.
	Due(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// NextDue says when the earliest queued or deferred message is due.
	NextDue(ctx context.Context) (next time.Time, ok bool, err error)
	MarkSending(ctx context.Context, id int64) error
	MarkSent(ctx context.Context, id int64) error
	MarkHeld(ctx context.Context, id int64, next time.Time, reason string) error
	MarkExpired(ctx context.Context, id int64, reason string) error
	MarkDeferred(ctx context.Context, id int64, next time.Time, cause error) error
	MarkFailed(ctx context.Context, id int64, cause error) error
	// Recover puts messages left in sending by a crash back in the queue.
	Recover(ctx context.Context) (int, error)
	// Sends counts the sends after since, to rcpt, or to anyone when rcpt
	// is "" (the rate limits' windows).
	Sends(ctx context.Context, rcpt string, since time.Time) (int, error)
	// SendAt returns when the send number skip (0 the oldest) of those
	// Sends counts was made.
	SendAt(ctx context.Context, rcpt string, since time.Time, skip int) (time.Time, error)
	// Clock is the time the queue stamps its rows with.
	Clock() time.Time
}

// ListOptions selects messages for an admin view.
type ListOptions struct {
	State    State // "" for every state
	BeforeID int64 // only ids below this one (the next page); 0 for the newest
	Limit    int   // default 50
	// Problems selects mail that did not simply go out: failed, expired,
	// and queued or deferred mail with a last error (retrying, held back
	// by a rate limit, waiting for the SMTP configuration to be fixed).
	Problems bool
}
