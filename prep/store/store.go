// Package store keeps prep's tables: the SQL of requests, answers, pair
// links, follow-ups, pauses and agenda records, and the migrations that
// create them. prep owns its units of work: a function that writes takes
// the caller's *sql.Tx (so that, for one, a request exists exactly when
// its invite is in the outbox, which joins the same transaction); reads
// take a Querier, a *sql.DB or a *sql.Tx.
package store

import (
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
