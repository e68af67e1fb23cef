package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// openTestApp opens the app on a config whose state directory is state,
// with a umask that lets files be created world-readable (as a shell's
// 022 does outside systemd).
func openTestApp(t *testing.T, state string) (*app, *syncBuffer) {
	t.Helper()
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	dir := t.TempDir()
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"o@example.com\"\nmaildir = %q\n", state, filepath.Join(dir, "mail"))), 0o600)
	logs := &syncBuffer{}
	a, err := openApp(context.Background(), &env{stdout: logs, stderr: logs, getenv: func(string) string { return "" }, now: time.Now}, file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	// A write makes SQLite create the -wal and -shm files.
	if _, err := a.db.Exec(`CREATE TABLE IF NOT EXISTS t (x)`); err != nil {
		t.Fatal(err)
	}
	return a, logs
}

func perm(t *testing.T, p string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestStateFilesArePrivate: outside systemd (umask 022) the state
// directory is created 0700 and the database with its -wal and -shm
// files 0600.
func TestStateFilesArePrivate(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	openTestApp(t, state)
	if m := perm(t, state); m != 0o700 {
		t.Errorf("state dir mode %04o, want 0700", m)
	}
	for _, f := range []string{"oneonone.db", "oneonone.db-wal", "oneonone.db-shm"} {
		if m := perm(t, filepath.Join(state, f)); m != 0o600 {
			t.Errorf("%s mode %04o, want 0600", f, m)
		}
	}
}

// TestReadableDatabaseIsTightened: a database left 0644 (by an earlier
// version, a restore) is made 0600 at start, with a log line that says so.
func TestReadableDatabaseIsTightened(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	a, _ := openTestApp(t, state)
	a.Close()
	db := filepath.Join(state, "oneonone.db")
	os.WriteFile(db+"-wal", nil, 0o644) // empty -wal and -shm files are valid
	os.WriteFile(db+"-shm", nil, 0o644)
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		os.Chmod(f, 0o644)
	}
	_, logs := openTestApp(t, state)
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if m := perm(t, f); m != 0o600 {
			t.Errorf("%s mode %04o after start, want 0600", f, m)
		}
	}
	if !strings.Contains(logs.String(), "made it 0600") || !strings.Contains(logs.String(), "was 0644") {
		t.Errorf("no log line about tightening the database:\n%s", logs.String())
	}
}
