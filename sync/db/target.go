package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// Target is the configured database: PostgreSQL at URL, else the SQLite
// file oneonone.db in StateDir.
type Target struct {
	URL      string
	StateDir string
}

// Postgres reports whether the target is a PostgreSQL database.
func (t Target) Postgres() bool { return t.URL != "" }

// File is the SQLite database file of a target without URL.
func (t Target) File() string { return filepath.Join(t.StateDir, "oneonone.db") }

// Label names the target for messages: its kind and where it is, without
// a password.
func (t Target) Label() string {
	if t.Postgres() {
		return "postgresql " + Redact(t.URL)
	}
	return "sqlite " + t.File()
}

// Created reports whether there is anything to open without creating it:
// always for PostgreSQL, for SQLite when its file exists.
func (t Target) Created() (bool, error) {
	if t.Postgres() {
		return true, nil
	}
	_, err := os.Stat(t.File())
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Open opens the target and migrates it with schemas. A SQLite file is
// kept private to the service user (Protect, before and after SQLite
// makes its -wal and -shm files); each file whose mode was tightened is
// logged on log.
func (t Target) Open(ctx context.Context, log *slog.Logger, schemas ...Schema) (*sql.DB, error) {
	if t.Postgres() {
		return OpenPostgres(ctx, t.URL, schemas...)
	}
	file := t.File()
	if err := protectLogged(file, log); err != nil {
		return nil, err
	}
	d, err := Open(ctx, file, schemas...)
	if err != nil {
		return nil, err
	}
	if err := protectLogged(file, log); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func protectLogged(file string, log *slog.Logger) error {
	tightened, err := Protect(file)
	for _, f := range tightened {
		log.Warn("database file was readable by other users; made it 0600", "file", f)
	}
	return err
}

// Check reaches the target for `oneonone check` and says what it is. It
// creates no SQLite file: without one, nothing is stored yet (d is nil).
// PostgreSQL is connected to and migrated, as a start would.
func (t Target) Check(ctx context.Context, schemas ...Schema) (d *sql.DB, what string, err error) {
	what = t.Label()
	if ok, _ := t.Created(); !ok {
		return nil, what + " (not created yet: the first run creates it)", nil
	}
	d, err = t.Open(ctx, slog.New(slog.DiscardHandler), schemas...)
	if err != nil {
		return nil, what, fmt.Errorf("%w (check [database] url, or that the database server runs and this user may log in)", err)
	}
	return d, what, nil
}
