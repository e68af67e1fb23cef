// Package db opens the database — one SQLite file by default, or
// PostgreSQL — and applies the embedded, numbered migrations of every
// package that owns tables in it.
//
// Each owner (sync, prep, mailer, …) keeps its schema in its own
// migrations folder, files named NNNN_description.sql, and passes it here
// as a Schema. Where PostgreSQL needs other DDL, NNNN_description.postgres.sql
// beside it replaces that version on PostgreSQL; both dialects share one
// numbered list. Applied versions are recorded per owner, so owners evolve
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
	FS    fs.FS  // holds Dir/NNNN_name.sql, and Dir/NNNN_name.postgres.sql where PostgreSQL differs
	Dir   string
}

// postgresSuffix marks a migration file that replaces its version on
// PostgreSQL.
const postgresSuffix = ".postgres.sql"

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
	dialect := DialectOf(d)
	if err := createMigrationsTable(ctx, d, dialect); err != nil {
		return err
	}
	for _, s := range schemas {
		ms, err := load(s, dialect)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := apply(ctx, d, dialect, s.Owner, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// The record of applied migrations; applied_at is UTC RFC 3339 text on both.
const (
	migrationsSQLite = `CREATE TABLE IF NOT EXISTS schema_migrations (
		owner      TEXT    NOT NULL,
		version    INTEGER NOT NULL,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
		PRIMARY KEY (owner, version)
	)`
	migrationsPostgres = `CREATE TABLE IF NOT EXISTS schema_migrations (
		owner      TEXT    NOT NULL,
		version    INTEGER NOT NULL,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		PRIMARY KEY (owner, version)
	)`
)

func createMigrationsTable(ctx context.Context, d *sql.DB, dialect Dialect) error {
	ddl := migrationsSQLite
	if dialect == PostgreSQL {
		ddl = migrationsPostgres
	}
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: create schema_migrations: %w", err)
	}
	defer tx.Rollback()
	if err := lockMigrations(ctx, tx, dialect); err != nil {
		return fmt.Errorf("db: create schema_migrations: %w", err)
	}
	if _, err := tx.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("db: create schema_migrations: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: create schema_migrations: %w", err)
	}
	return nil
}

// migrationLock is the PostgreSQL advisory lock that serializes
// migrations of instances starting at the same time (SQLite's immediate
// transactions do that already).
const migrationLock = 0x6f6e656f6e6531 // "oneone1"

// lockMigrations holds the migration lock until tx ends, on PostgreSQL.
func lockMigrations(ctx context.Context, tx *sql.Tx, dialect Dialect) error {
	if dialect != PostgreSQL {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(migrationLock))
	return err
}

// load returns the migrations of s for dialect in version order: on
// PostgreSQL a .postgres.sql file replaces the shared file of its version;
// SQLite never reads .postgres.sql files.
func load(s Schema, dialect Dialect) ([]migration, error) {
	entries, err := fs.ReadDir(s.FS, s.Dir)
	if err != nil {
		return nil, fmt.Errorf("db: %s migrations: %w", s.Owner, err)
	}
	shared, variants := map[int]migration{}, map[int]migration{}
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
		set := shared
		if strings.HasSuffix(name, postgresSuffix) {
			set = variants
		}
		if prev, dup := set[v]; dup {
			return nil, fmt.Errorf("db: %s migrations %q and %q share version %d", s.Owner, prev.name, name, v)
		}
		set[v] = migration{version: v, name: name}
	}
	for v, m := range variants {
		if _, ok := shared[v]; !ok {
			return nil, fmt.Errorf("db: %s migration %q has no shared file of version %d beside it", s.Owner, m.name, v)
		}
		if dialect == PostgreSQL {
			shared[v] = m
		}
	}
	ms := make([]migration, 0, len(shared))
	for _, m := range shared {
		body, err := fs.ReadFile(s.FS, path.Join(s.Dir, m.name))
		if err != nil {
			return nil, fmt.Errorf("db: %s migration %q: %w", s.Owner, m.name, err)
		}
		m.sql = string(body)
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

func apply(ctx context.Context, d *sql.DB, dialect Dialect, owner string, m migration) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: %s migration %s: %w", owner, m.name, err)
	}
	defer tx.Rollback()
	if err := lockMigrations(ctx, tx, dialect); err != nil {
		return fmt.Errorf("db: %s migration %s: %w", owner, m.name, err)
	}
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
