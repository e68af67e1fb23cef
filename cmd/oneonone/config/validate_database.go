package config

import (
	"net/url"
	"strings"
)

// database checks [database] url (read from url_file when that is set):
// empty for SQLite, else a PostgreSQL URL.
func (v *validator) database() {
	raw := v.c.Database.URL
	if raw == "" {
		return
	}
	key := "database.url"
	if v.c.SecretFiles["database.url"] != "" {
		key = "database.url_file"
	}
	const accepted = `use a PostgreSQL URL such as "postgres://oneonone@db.example.com:5432/oneonone?sslmode=verify-full", ` +
		`or leave [database] url and url_file empty for SQLite in state_dir`
	u, err := url.Parse(raw)
	if err != nil {
		v.p.add(key, "is not a URL — %s", accepted)
		return
	}
	shown := u.Redacted()
	switch {
	case u.Scheme != "postgres" && u.Scheme != "postgresql":
		v.p.add(key, "%q is not a PostgreSQL URL (scheme %q) — %s", shown, u.Scheme, accepted)
	case u.Host == "" && u.Query().Get("host") == "":
		v.p.add(key, "%q names no server — %s", shown, accepted)
	case strings.Trim(u.Path, "/") == "":
		v.p.add(key, "%q names no database — add it after the host, as in \"postgres://oneonone@db.example.com/oneonone\"", shown)
	}
}
