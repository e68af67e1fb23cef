package db_test

import (
	"context"
	"database/sql"
	"errors"
	"path"
	"testing"
	"testing/fstest"

	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// A Go step runs once on either dialect, knows which one it runs on, and
// one that fails leaves nothing behind.
func TestStepsOnBothDialects(t *testing.T) {
	schema := db.Schema{Owner: "x", Dir: "m", FS: fstest.MapFS{"m/0001_init.sql": {Data: []byte(`CREATE TABLE a (v TEXT);`)}}}
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		ctx := context.Background()
		d := open(t, schema)
		runs := 0
		step := func(fail bool) db.Step {
			return db.Step{Owner: "x-steps", Version: 1, Name: "fill", Run: func(ctx context.Context, tx *sql.Tx) error {
				runs++
				if got := db.DialectFrom(ctx).String(); got != path.Base(t.Name()) {
					t.Errorf("the step sees dialect %s", got)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO a VALUES ('row')`); err != nil {
					return err
				}
				if fail {
					return errors.New("boom")
				}
				return nil
			}}
		}
		if err := db.RunSteps(ctx, d, step(true)); err == nil {
			t.Fatal("a failing step reported no error")
		}
		for range 3 {
			if err := db.RunSteps(ctx, d, step(false)); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := d.QueryRow(`SELECT count(*) FROM a`).Scan(&n); err != nil || runs != 2 || n != 1 {
			t.Fatalf("runs %d, rows %d (%v); want the failed run and one that worked, 1 row", runs, n, err)
		}
	})
}
