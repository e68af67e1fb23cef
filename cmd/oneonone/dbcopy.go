package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync/db"
)

func runDB(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "copy" {
		return runDBCopy(ctx, e, args[1:])
	}
	return usageError{"say what to do: 'oneonone db copy --from sqlite:PATH' moves a SQLite deployment into the PostgreSQL database of [database] url"}
}

// runDBCopy copies every table of a SQLite deployment into the configured
// PostgreSQL database, in one transaction, and refuses when that database
// holds data already (so running it twice copies nothing twice). Sealed
// answers and tokens are copied as they are: the deployment keeps its
// secrets key.
func runDBCopy(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "db copy", "--from sqlite:PATH [--config FILE]")
	cfgFile := configFlag(fs)
	from := fs.String("from", "", "the SQLite database to copy: sqlite:PATH (the old state_dir's oneonone.db)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	file, ok := strings.CutPrefix(*from, "sqlite:")
	if !ok || file == "" {
		return usageError{fmt.Sprintf("--from %q: give the SQLite database as sqlite:PATH, such as --from sqlite:/var/lib/oneonone/oneonone.db", *from)}
	}
	if _, err := os.Stat(file); err != nil {
		return exitError{code: 1, msg: fmt.Sprintf("--from: %v (the SQLite deployment's database is oneonone.db in its state_dir)", err)}
	}
	// Before openApp, which would make a SQLite file for a config without
	// PostgreSQL.
	if cfg, err := config.LoadWith(config.Path(*cfgFile, e.getenv), e.getenv); err == nil && !cfg.Database.Postgres() {
		return exitError{code: 1, msg: "db copy copies into PostgreSQL, and this config has no [database] url: set url (or url_file) to the PostgreSQL database, then run it again"}
	}
	a, err := openApp(ctx, e, *cfgFile)
	if err != nil {
		return err
	}
	defer a.Close()
	cfg := a.conf()
	src, err := db.Open(ctx, file, schemas()...)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := sealBoth(ctx, a, src); err != nil {
		return err
	}
	rep, err := db.Copy(ctx, src, a.db, db.CopyOptions{Same: []string{"prep_answer_key"}})
	if errors.Is(err, db.ErrNotEmpty) {
		return exitError{code: 1, msg: fmt.Sprintf("%s: %v — already copied? nothing done", storeOf(cfg).Label(), err)}
	}
	if err != nil {
		return err
	}
	total := 0
	for _, t := range rep.Tables {
		fmt.Fprintf(e.stdout, "%-20s %d rows\n", t.Table, t.Rows)
		total += t.Rows
	}
	fmt.Fprintf(e.stdout, "copied %d rows of %d tables from sqlite:%s into %s\n", total, len(rep.Tables), file, storeOf(cfg).Label())
	return nil
}

// sealBoth readies the answers of both databases as a daemon start would:
// plain answers of an older SQLite version are sealed first, and a secrets
// key that is not the one the SQLite answers were sealed with stops the
// copy before anything is written.
func sealBoth(ctx context.Context, a *app, src *sql.DB) error {
	key, err := a.secretsKey()
	if err != nil {
		return err
	}
	if _, err := prep.OpenKeys(ctx, src, key); err != nil {
		return fmt.Errorf("the SQLite database: %w", err)
	}
	if _, err := prep.OpenKeys(ctx, a.db, key); err != nil {
		return fmt.Errorf("the PostgreSQL database: %w", err)
	}
	return nil
}
