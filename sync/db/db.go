// Package db opens the one SQLite database file and applies the embedded,
// numbered migrations of every package that owns tables in it.
//
// Each owner (sync, prep, mailer, …) keeps its schema in its own
// migrations folder, files named NNNN_description.sql, and passes it here
// as a Schema. Applied versions are recorded per owner, so owners evolve
// independently. Each migration runs in its own transaction.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver, registered as "sqlite3"
)

// Schema is one owner's embedded migrations.
type Schema struct {
	Owner string // the owning package, e.g. "sync"
	FS    fs.FS  // holds Dir/NNNN_name.sql
	Dir   string
}

// Open opens (creating if needed) the database at file with WAL, foreign
// keys, a busy timeout and immediate transactions, then migrates every
// schema. The caller closes the returned DB.
func Open(ctx context.Context, file string, schemas ...Schema) (*sql.DB, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	dsn := "file:" + file + "?" + q.Encode()
	d, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", file, err)
	}
	if err := d.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("db: open %s: %w", file, err)
	}
	if err := Migrate(ctx, d, schemas...); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

type migration struct {
	version int
	name    string
	sql     string
}

// Migrate applies the migrations of each schema that are not applied yet.
func Migrate(ctx context.Context, d *sql.DB, schemas ...Schema) error {
	if _, err := d.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		owner      TEXT    NOT NULL,
		version    INTEGER NOT NULL,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
		PRIMARY KEY (owner, version)
	)`); err != nil {
		return fmt.Errorf("db: create schema_migrations: %w", err)
	}
	for _, s := range schemas {
		ms, err := load(s)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := apply(ctx, d, s.Owner, m); err != nil {
				return err
			}
		}
	}
	return nil
}

func load(s Schema) ([]migration, error) {
	entries, err := fs.ReadDir(s.FS, s.Dir)
	if err != nil {
		return nil, fmt.Errorf("db: %s migrations: %w", s.Owner, err)
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("db: %s migration %q: name must start with a number and '_'", s.Owner, name)
		}
		body, err := fs.ReadFile(s.FS, path.Join(s.Dir, name))
		if err != nil {
			return nil, fmt.Errorf("db: %s migration %q: %w", s.Owner, name, err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("db: %s migrations %q and %q share version %d", s.Owner, ms[i-1].name, ms[i].name, ms[i].version)
		}
	}
	return ms, nil
}

func apply(ctx context.Context, d *sql.DB, owner string, m migration) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: %s migration %s: %w", owner, m.name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE owner = ? AND version = ?`, owner, m.version).Scan(&n); err != nil {
		return fmt.Errorf("db: %s migration %s: %w", owner, m.name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("db: %s migration %s: %w", owner, m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (owner, version, name) VALUES (?, ?, ?)`, owner, m.version, m.name); err != nil {
		return fmt.Errorf("db: %s migration %s: %w", owner, m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: %s migration %s: commit: %w", owner, m.name, err)
	}
	return nil
}
