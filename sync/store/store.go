// Package store keeps the sync engine's tables: calendars and their
// objects, series, occurrences, pairs and history. Every SQL statement
// of the engine lives here, behind the interfaces the engine declares;
// a second database is a second file set beside this one.
package store

import (
	"database/sql"
	"embed"

	"github.com/oneonone/oneonone/sync/db"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the engine's tables, for db.Open. The owner stays "sync" so
// that existing databases keep their applied migrations.
var Schema = db.Schema{Owner: "sync", FS: migrations, Dir: "migrations"}

// Store runs the engine's queries on one database.
type Store struct {
	DB *sql.DB
}

// New returns the store of d.
func New(d *sql.DB) Store { return Store{DB: d} }

// Kind names the database s is on: "sqlite" or "postgresql".
func (s Store) Kind() string { return db.DialectOf(s.DB).String() }
