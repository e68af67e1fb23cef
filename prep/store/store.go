// Package store keeps prep's tables: the SQL of requests, answers, pair
// links, follow-ups, pauses and agenda records, and the migrations that
// create them, behind the interfaces prep declares. prep owns its units
// of work: New(db) reads (and makes single-statement writes) on the
// database; In(tx) does that and every other write inside the caller's
// transaction (so that, for one, a request exists exactly when its invite
// is in the outbox, which joins the same transaction).
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"
)

// Migrations are prep's numbered migrations, under migrations/. The
// daemon applies them with the schema helper as owner MigrationsOwner.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// MigrationsOwner keys prep's rows in schema_migrations; it never changes,
// or existing databases would apply their migrations again.
const MigrationsOwner = "prep"

// timeFormat is fixed-width so that stored instants compare as strings;
// instants are stored in UTC.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return t, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// conn runs the reads and the single-statement writes, on the database
// or inside a transaction. Reads that need no write lock run on the
// database: it opens every transaction IMMEDIATE, so a page reads without
// a transaction instead of queueing behind writers.
type conn struct{ q querier }

// Store runs prep's queries on one database; a write that is one
// statement is its own transaction.
type Store struct {
	conn
	db *sql.DB
}

// New returns the store of d.
func New(d *sql.DB) Store { return Store{conn: conn{d}, db: d} }

// Tx runs prep's queries inside the caller's transaction.
type Tx struct {
	conn
	tx *sql.Tx
}

// In returns the store inside tx.
func In(tx *sql.Tx) Tx { return Tx{conn: conn{tx}, tx: tx} }
