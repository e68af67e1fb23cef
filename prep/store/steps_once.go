package store

import (
	"context"
	"database/sql"

	"github.com/oneonone/oneonone/sync/db"
)

// stepsOwner keys prep's one-time Go steps in schema_migrations.
const stepsOwner = "prep-steps"

// RunOnce runs step version of prep's one-time Go steps (what SQL cannot
// do, such as sealing rows with a key kept outside the database) unless
// it ran before, in one transaction with its record.
func (s Store) RunOnce(ctx context.Context, version int, name string, run func(context.Context, Tx) error) error {
	step := func(ctx context.Context, tx *sql.Tx) error { return run(ctx, In(tx)) }
	return db.RunSteps(ctx, s.db, db.Step{Owner: stepsOwner, Version: version, Name: name, Run: step})
}
