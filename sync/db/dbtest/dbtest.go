package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/oneonone/oneonone/calendars/testkit"
	"github.com/oneonone/oneonone/sync/db"
)

// EnvStore names the dialect that OpenEnv gives: "postgresql" or
// "sqlite" (the default). CI runs the store-using packages once with each.
const EnvStore = "ONEONONE_TEST_STORE"

// Opener opens a fresh, migrated database for one test.
type Opener func(t testing.TB, schemas ...db.Schema) *sql.DB

// Dialects are the stores every store test runs on.
var Dialects = []db.Dialect{db.SQLite, db.PostgreSQL}

// Each runs fn as a subtest per dialect ("sqlite", "postgresql") with
// an opener of that dialect: one suite, two backends.
func Each(t *testing.T, fn func(t *testing.T, open Opener)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d.String(), func(t *testing.T) {
			fn(t, func(t testing.TB, schemas ...db.Schema) *sql.DB { return Open(t, d, schemas...) })
		})
	}
}

// Open returns a fresh database of dialect d migrated with schemas,
// closed when the test ends.
func Open(t testing.TB, d db.Dialect, schemas ...db.Schema) *sql.DB {
	t.Helper()
	var (
		h   *sql.DB
		err error
	)
	if d == db.PostgreSQL {
		h, err = db.OpenPostgres(context.Background(), migratedURL(t, schemas), schemas...)
	} else {
		h, err = db.Open(context.Background(), filepath.Join(t.TempDir(), "oneonone.db"), schemas...)
	}
	if err != nil {
		t.Fatalf("open %s database: %v", d, err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// FromEnv is the dialect EnvStore names.
func FromEnv() db.Dialect {
	if os.Getenv(EnvStore) == "postgresql" {
		return db.PostgreSQL
	}
	return db.SQLite
}

// OpenEnv is Open with the dialect EnvStore names.
func OpenEnv(t testing.TB, schemas ...db.Schema) *sql.DB {
	t.Helper()
	return Open(t, FromEnv(), schemas...)
}

// URL returns the postgres:// URL of a fresh empty database in the test
// binary's cluster, dropped when the test ends (a daemon under test may
// open it itself).
func URL(t testing.TB) string {
	t.Helper()
	c, err := running()
	if errors.Is(err, errMissing) {
		missing(t, err)
	}
	if err != nil {
		t.Fatalf("PostgreSQL test cluster: %v", err)
	}
	u, drop, err := c.createDatabase(context.Background(), "")
	if err != nil {
		t.Fatalf("PostgreSQL test database: %v", err)
	}
	t.Cleanup(drop)
	return u
}

func missing(t testing.TB, err error) {
	t.Helper()
	testkit.NeedPeer(t, "PostgreSQL", err)
}
