package db

import (
	"context"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestMigrateAppliesEachVersionOnce(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "test.db")
	v1 := fstest.MapFS{"m/0001_init.sql": {Data: []byte(`CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);`)}}
	d, err := Open(ctx, file, Schema{Owner: "x", FS: v1, Dir: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`INSERT INTO a (v) VALUES ('kept')`); err != nil {
		t.Fatal(err)
	}
	d.Close()

	v2 := fstest.MapFS{
		"m/0001_init.sql": v1["m/0001_init.sql"],
		"m/0002_more.sql": {Data: []byte(`ALTER TABLE a ADD COLUMN w TEXT NOT NULL DEFAULT 'new';`)},
	}
	d, err = Open(ctx, file, Schema{Owner: "x", FS: v2, Dir: "m"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var v, w string
	if err := d.QueryRow(`SELECT v, w FROM a`).Scan(&v, &w); err != nil {
		t.Fatal(err)
	}
	if v != "kept" || w != "new" {
		t.Fatalf("after upgrade got (%q, %q), want (kept, new)", v, w)
	}
	var fk int
	if err := d.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign keys = %d, %v; want on", fk, err)
	}
}

func TestMigrationFailureRollsBack(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "test.db")
	bad := fstest.MapFS{"m/0001_bad.sql": {Data: []byte(`CREATE TABLE b (id INTEGER); INSERT INTO nowhere VALUES (1);`)}}
	if _, err := Open(ctx, file, Schema{Owner: "x", FS: bad, Dir: "m"}); err == nil {
		t.Fatal("a failing migration must fail Open")
	}
	good := fstest.MapFS{"m/0001_ok.sql": {Data: []byte(`CREATE TABLE b (id INTEGER);`)}}
	d, err := Open(ctx, file, Schema{Owner: "x", FS: good, Dir: "m"})
	if err != nil {
		t.Fatalf("table b must not exist after the failed migration: %v", err)
	}
	d.Close()
}
