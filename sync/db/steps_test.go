package db

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// A Go step runs once; one that fails leaves no trace of what it did
// and runs again at the next start.
func TestStepsRunOnceAndRollBack(t *testing.T) {
	ctx := context.Background()
	schema := Schema{Owner: "x", FS: fstest.MapFS{"m/0001_init.sql": {Data: []byte(`CREATE TABLE a (v TEXT);`)}}, Dir: "m"}
	d, err := Open(ctx, filepath.Join(t.TempDir(), "test.db"), schema)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	runs := 0
	step := func(fail bool) Step {
		return Step{Owner: "x-steps", Version: 1, Name: "fill", Run: func(ctx context.Context, tx *sql.Tx) error {
			runs++
			if _, err := tx.ExecContext(ctx, `INSERT INTO a VALUES ('row')`); err != nil {
				return err
			}
			if fail {
				return errors.New("boom")
			}
			return nil
		}}
	}
	if err := RunSteps(ctx, d, step(true)); err == nil {
		t.Fatal("a failing step reported no error")
	}
	count := func() (n int) {
		if err := d.QueryRow(`SELECT count(*) FROM a`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("a failed step left %d rows", n)
	}
	for i := 0; i < 3; i++ {
		if err := RunSteps(ctx, d, step(false)); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); runs != 2 || n != 1 {
		t.Fatalf("runs %d, rows %d; want the failed run and one that worked, 1 row", runs, n)
	}
}
