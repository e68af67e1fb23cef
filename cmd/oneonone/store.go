package main

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"

	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/sync/db"
)

// sqliteFile is the SQLite database of a config without [database] url.
func sqliteFile(cfg *config.Config) string { return filepath.Join(cfg.StateDir, "oneonone.db") }

// storeLabel names the configured store for messages: its kind and where
// it is, without a password.
func storeLabel(cfg *config.Config) string {
	if cfg.Database.Postgres() {
		return "postgresql " + db.Redact(cfg.Database.URL)
	}
	return "sqlite " + sqliteFile(cfg)
}

// openStore opens (and migrates) the configured database with every
// part's schema: PostgreSQL at [database] url, else the SQLite file in
// state_dir, kept private to the service user.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*sql.DB, error) {
	if cfg.Database.Postgres() {
		return db.OpenPostgres(ctx, cfg.Database.URL, schemas()...)
	}
	file := sqliteFile(cfg)
	if err := protectDB(file, log); err != nil {
		return nil, err
	}
	d, err := openDB(ctx, file)
	if err != nil {
		return nil, err
	}
	if err := protectDB(file, log); err != nil { // the -wal and -shm files SQLite made
		d.Close()
		return nil, err
	}
	return d, nil
}
