package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// [database] url is empty for SQLite or a PostgreSQL URL; anything else
// says what is accepted, without printing the password.
func TestDatabaseURL(t *testing.T) {
	for _, tc := range []struct {
		name, url, want string
	}{
		{"sqlite by default", "", ""},
		{"postgres", "postgres://one:pw@db.example.com:5432/oneonone?sslmode=verify-full", ""},
		{"postgresql scheme", "postgresql://one@db.example.com/oneonone", ""},
		{"socket dir", "postgres:///oneonone?host=/run/postgresql", ""},
		{"mysql", "mysql://one:s3cret@db.example.com/oneonone", `"mysql://one:xxxxx@db.example.com/oneonone" is not a PostgreSQL URL (scheme "mysql") — use a PostgreSQL URL such as`},
		{"a file path", "/var/lib/oneonone/oneonone.db", `is not a PostgreSQL URL (scheme "") — use a PostgreSQL URL such as`},
		{"no database", "postgres://one@db.example.com", `names no database`},
		{"no host", "postgres:///oneonone", `names no server`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := minimal + "[database]\nurl = \"" + tc.url + "\"\n"
			c, err := Parse([]byte(doc), t.TempDir(), func(string) string { return "" })
			if tc.want == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				if c.Database.Postgres() != (tc.url != "") {
					t.Fatalf("Postgres() = %v for %q", c.Database.Postgres(), tc.url)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("the message shows the password: %v", err)
			}
		})
	}
}

// url_file is read like the other secrets, and a wrong URL in it is
// reported under url_file.
func TestDatabaseURLFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "db-url")
	if err := os.WriteFile(file, []byte("postgres://one:pw@db.example.com/oneonone\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Parse([]byte(minimal+"[database]\nurl_file = \"db-url\"\n"), dir, func(string) string { return "" })
	if err != nil || c.Database.URL != "postgres://one:pw@db.example.com/oneonone" || c.SecretFiles["database.url"] != file {
		t.Fatalf("url %q, files %v, %v", c.Database.URL, c.SecretFiles, err)
	}
	if w := strings.Join(c.Warnings, "\n"); strings.Contains(w, "database") {
		t.Errorf("warning %q for a URL read from a file", w)
	}
	os.WriteFile(file, []byte("sqlite:/tmp/x.db\n"), 0o600)
	_, err = Parse([]byte(minimal+"[database]\nurl_file = \"db-url\"\n"), dir, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "database.url_file (line") || !strings.Contains(err.Error(), "is not a PostgreSQL URL") {
		t.Fatalf("got %v", err)
	}
	_, err = Parse([]byte(minimal+"[database]\nurl = \"postgres://a@b/c\"\nurl_file = \"db-url\"\n"), dir, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "keep only url_file") {
		t.Fatalf("both keys: %v", err)
	}
	c, _ = Parse([]byte(minimal+"[database]\nurl = \"postgres://one:pw@db.example.com/oneonone\"\n"), dir, func(string) string { return "" })
	if !strings.Contains(strings.Join(c.Warnings, "\n"), "use url_file for production") {
		t.Errorf("a password in the file gave no warning: %q", c.Warnings)
	}
}
