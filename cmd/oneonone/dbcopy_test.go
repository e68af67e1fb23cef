package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// db copy says what it needs: a sqlite:PATH source that exists, and a
// config that names PostgreSQL; it changes nothing otherwise.
func TestDBCopyRefusesWhatItCannotDo(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(config, []byte("state_dir = \"state\"\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"prep@example.com\"\n"), 0o600)
	old := filepath.Join(dir, "old.db")
	os.WriteFile(old, nil, 0o600)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"db"}, 2, "db copy --from sqlite:PATH"},
		{[]string{"db", "copy", "--from", old}, 2, "give the SQLite database as sqlite:PATH"},
		{[]string{"db", "copy", "--from", "sqlite:" + filepath.Join(dir, "missing.db")}, 1, "no such file"},
		{[]string{"db", "copy", "--from", "sqlite:" + old}, 1, "this config has no [database] url"},
	} {
		out, errOut, code := runCmd(t, time.Now(), nil, append(tc.args, "--config", config)...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%s: exit %d, want %d with %q:\n%s%s", tc.args, code, tc.code, tc.want, out, errOut)
		}
	}
	if fi, err := os.Stat(old); err != nil || fi.Size() != 0 {
		t.Errorf("the SQLite file was changed: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "state", "oneonone.db")); err == nil {
		t.Error("a refused copy made a SQLite database in state_dir")
	}
}
