package db

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// A SQLite target is created on first open, private to its owner, and a
// file left readable by others is tightened with a log line naming it.
func TestTargetOpensSQLitePrivately(t *testing.T) {
	tg := Target{StateDir: t.TempDir()}
	if got, want := tg.Label(), "sqlite "+filepath.Join(tg.StateDir, "oneonone.db"); got != want {
		t.Fatalf("Label = %q, want %q", got, want)
	}
	if ok, err := tg.Created(); ok || err != nil {
		t.Fatalf("Created before the first open = %v, %v", ok, err)
	}
	schema := Schema{Owner: "x", FS: fstest.MapFS{"m/0001_a.sql": {Data: []byte(`CREATE TABLE a (v TEXT);`)}}, Dir: "m"}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	d, err := tg.Open(context.Background(), log, schema)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if ok, err := tg.Created(); !ok || err != nil {
		t.Fatalf("Created after the first open = %v, %v", ok, err)
	}
	if err := os.Chmod(tg.File(), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err = tg.Open(context.Background(), log, schema)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if fi, _ := os.Stat(tg.File()); fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode %04o, want 0600", fi.Mode().Perm())
	}
	if !strings.Contains(logs.String(), "was 0644") {
		t.Errorf("no log line about tightening:\n%s", logs.String())
	}
}

// A PostgreSQL target is named without its password.
func TestTargetLabelRedactsPassword(t *testing.T) {
	tg := Target{URL: "postgres://app:s3cret@db.example.com/oneonone", StateDir: "/nowhere"}
	if !tg.Postgres() || strings.Contains(tg.Label(), "s3cret") || !strings.HasPrefix(tg.Label(), "postgresql ") {
		t.Fatalf("Label = %q", tg.Label())
	}
}

// check creates no SQLite file: a first run does.
func TestTargetCheckCreatesNothing(t *testing.T) {
	tg := Target{StateDir: t.TempDir()}
	d, what, err := tg.Check(context.Background())
	if d != nil || err != nil || !strings.HasSuffix(what, "(not created yet: the first run creates it)") {
		t.Fatalf("Check = %v, %q, %v", d, what, err)
	}
	if _, err := os.Stat(tg.File()); err == nil {
		t.Fatal("Check created the database file")
	}
}
