// Package store keeps prep's tables: the SQL of forms, answers, requests,
// links and follow-ups, and the migrations that create them. Package prep
// declares the interfaces it needs; this package implements them.
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
