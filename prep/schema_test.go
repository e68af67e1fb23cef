package prep_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/sync/db"
)

// The schema applies once, and opening the file again (a restart) finds
// it applied; prep's tables reference no table they do not own.
func TestSchemaReopen(t *testing.T) {
	file := filepath.Join(t.TempDir(), "oneonone.db")
	ctx := context.Background()
	files, err := fs.ReadDir(prepSchema.FS, prepSchema.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		d, err := db.Open(ctx, file, mailerSchema, prepSchema)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var n int
		d.QueryRow(`SELECT count(*) FROM schema_migrations WHERE owner = 'prep'`).Scan(&n)
		if n != len(files)-postgresOnly(files) {
			t.Fatalf("open %d: %d prep migrations recorded, want %d", i, n, len(files))
		}
		rows, err := d.Query(`SELECT m.name, f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table' AND m.name LIKE 'prep\_%' ESCAPE '\'`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var from, to string
			rows.Scan(&from, &to)
			if to != "prep_requests" {
				t.Errorf("%s references %s", from, to)
			}
		}
		rows.Close()
		d.Close()
	}
}

// postgresOnly counts the PostgreSQL variants among files, which SQLite
// does not apply.
func postgresOnly(files []fs.DirEntry) int {
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".postgres.sql") {
			n++
		}
	}
	return n
}
