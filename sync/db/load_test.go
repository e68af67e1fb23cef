package db

import (
	"strings"
	"testing"
	"testing/fstest"
)

// A PostgreSQL variant replaces its version on PostgreSQL only, and one
// without the shared file of its version is refused: both dialects keep
// one numbered list.
func TestLoadPicksTheDialectsFile(t *testing.T) {
	s := Schema{Owner: "x", Dir: "m", FS: fstest.MapFS{
		"m/0001_a.sql":          {Data: []byte("shared 1")},
		"m/0001_a.postgres.sql": {Data: []byte("postgres 1")},
		"m/0002_b.sql":          {Data: []byte("shared 2")},
	}}
	for d, want := range map[Dialect]string{SQLite: "shared 1|shared 2", PostgreSQL: "postgres 1|shared 2"} {
		ms, err := load(s, d)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.sql)
		}
		if strings.Join(got, "|") != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
	s.FS.(fstest.MapFS)["m/0003_c.postgres.sql"] = &fstest.MapFile{Data: []byte("postgres 3")}
	if _, err := load(s, SQLite); err == nil || !strings.Contains(err.Error(), "no shared file of version 3") {
		t.Fatalf("a variant alone: %v", err)
	}
}
