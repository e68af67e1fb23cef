package dbtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"path"
	"strings"
	"sync"
	"testing"

	"github.com/oneonone/oneonone/sync/db"
)

// Migrating a PostgreSQL database takes longer than the test using it, so
// each set of schemas is migrated once, into a template database, and
// every test gets a copy of it.
var (
	templatesMu sync.Mutex
	templates   = map[string]string{} // schemas' digest → template database
)

// migratedURL returns the URL of a fresh database that has schemas'
// migrations applied already.
func migratedURL(t testing.TB, schemas []db.Schema) string {
	t.Helper()
	c, err := running()
	if errors.Is(err, errMissing) {
		missing(t, err)
	}
	if err != nil {
		t.Fatalf("PostgreSQL test cluster: %v", err)
	}
	tmpl, err := c.template(schemas)
	if err != nil {
		t.Fatalf("PostgreSQL template database: %v", err)
	}
	u, drop, err := c.createDatabase(context.Background(), tmpl)
	if err != nil {
		t.Fatalf("PostgreSQL test database: %v", err)
	}
	t.Cleanup(drop)
	return u
}

func (c *cluster) template(schemas []db.Schema) (string, error) {
	key, err := digest(schemas)
	if err != nil {
		return "", err
	}
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if name, ok := templates[key]; ok {
		return name, nil
	}
	ctx := context.Background()
	u, _, err := c.createDatabase(ctx, "")
	if err != nil {
		return "", err
	}
	d, err := db.OpenPostgres(ctx, u, schemas...)
	if err != nil {
		return "", err
	}
	d.Close() // a template must have no connections when it is copied
	name := u[strings.LastIndex(u, "/")+1 : strings.Index(u, "?")]
	templates[key] = name
	return name, nil
}

// digest names a set of schemas by their owners and migration files.
func digest(schemas []db.Schema) (string, error) {
	h := sha256.New()
	for _, s := range schemas {
		h.Write([]byte(s.Owner + "\x00"))
		entries, err := fs.ReadDir(s.FS, s.Dir)
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			body, err := fs.ReadFile(s.FS, path.Join(s.Dir, e.Name()))
			if err != nil {
				return "", err
			}
			h.Write([]byte(e.Name() + "\x00"))
			h.Write(body)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
