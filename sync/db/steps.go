package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Step is a migration written in Go, for what SQL cannot do (encrypting
// existing rows needs a key that lives outside the database). It is
// recorded in schema_migrations like the SQL migrations, under its own
// owner and version, and runs once, in one transaction with that record:
// a crash or an error leaves the database as it was, and a step that
// worked never runs again.
type Step struct {
	Owner   string // e.g. "prep-steps": not a SQL schema's owner, whose versions are its files'
	Version int
	Name    string
	Run     func(ctx context.Context, tx *sql.Tx) error
}

// RunSteps applies the steps not applied yet, in order. The SQL
// migrations must have run (Open or Migrate). A step's context carries
// the dialect (DialectFrom).
func RunSteps(ctx context.Context, d *sql.DB, steps ...Step) error {
	dialect := DialectOf(d)
	ctx = WithDialect(ctx, dialect)
	for _, s := range steps {
		if err := runStep(ctx, d, s); err != nil {
			return err
		}
	}
	return nil
}

func runStep(ctx context.Context, d *sql.DB, s Step) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: %s step %s: %w", s.Owner, s.Name, err)
	}
	defer tx.Rollback()
	if err := lockMigrations(ctx, tx, DialectFrom(ctx)); err != nil {
		return fmt.Errorf("db: %s step %s: %w", s.Owner, s.Name, err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE owner = ? AND version = ?`, s.Owner, s.Version).Scan(&n); err != nil {
		return fmt.Errorf("db: %s step %s: %w", s.Owner, s.Name, err)
	}
	if n > 0 {
		return nil
	}
	if err := s.Run(ctx, tx); err != nil {
		return fmt.Errorf("db: %s step %s: %w", s.Owner, s.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (owner, version, name) VALUES (?, ?, ?)`, s.Owner, s.Version, s.Name); err != nil {
		return fmt.Errorf("db: %s step %s: %w", s.Owner, s.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: %s step %s: commit: %w", s.Owner, s.Name, err)
	}
	return nil
}
