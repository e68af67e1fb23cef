package db

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Dialect is the SQL database behind a *sql.DB. Stores write one SQL text
// for both, with '?' placeholders, TRUE/FALSE for booleans, ON CONFLICT
// upserts and RETURNING for new ids; the PostgreSQL connection rebinds
// the placeholders. Where a statement cannot be shared (SQLite's PRAGMAs,
// DDL), the store asks for the dialect.
type Dialect int

const (
	SQLite Dialect = iota
	PostgreSQL
)

// String is the dialect's name as /readyz and `check` show it.
func (d Dialect) String() string {
	if d == PostgreSQL {
		return "postgresql"
	}
	return "sqlite"
}

// DialectOf tells which database d talks to.
func DialectOf(d *sql.DB) Dialect {
	if _, ok := d.Driver().(pgDriver); ok {
		return PostgreSQL
	}
	return SQLite
}

type dialectKey struct{}

// WithDialect returns ctx carrying d, for code that holds only a *sql.Tx
// (a Go migration step) and must still know the dialect.
func WithDialect(ctx context.Context, d Dialect) context.Context {
	return context.WithValue(ctx, dialectKey{}, d)
}

// DialectFrom returns the dialect WithDialect put into ctx; SQLite when none.
func DialectFrom(ctx context.Context) Dialect {
	d, _ := ctx.Value(dialectKey{}).(Dialect)
	return d
}

// Rebind turns the '?' placeholders of query into PostgreSQL's $1, $2, …
// (and a numbered ?NNN into $NNN), leaving question marks inside string literals, quoted identifiers and
// comments alone.
func Rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			end := closing(query, i+1, c)
			b.WriteString(query[i:end])
			i = end - 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				end = len(query) - i
			}
			b.WriteString(query[i : i+end])
			i += end - 1
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			end := strings.Index(query[i+2:], "*/")
			if end < 0 {
				end = len(query) - i - 2
			} else {
				end += 2
			}
			b.WriteString(query[i : i+2+end])
			i += 1 + end
		case c == '?' && i+1 < len(query) && '0' <= query[i+1] && query[i+1] <= '9':
			b.WriteByte('$') // ?NNN, SQLite's numbered placeholder, is $NNN
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// closing returns the index just past the quote q that closes a literal
// opened before from; a doubled quote is part of the literal.
func closing(s string, from int, q byte) int {
	for i := from; i < len(s); i++ {
		if s[i] != q {
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			i++
			continue
		}
		return i + 1
	}
	return len(s)
}
