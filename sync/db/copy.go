package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// CopyOptions tune Copy.
type CopyOptions struct {
	// Same are tables that both databases must already hold with the same
	// rows (such as the record of which key seals the answers, made by a
	// Go step on each side): checked, not copied.
	Same []string
}

// CopyReport says how many rows of each table Copy copied.
type CopyReport struct {
	Tables []TableCount
}

// TableCount is one table's row count.
type TableCount struct {
	Table string
	Rows  int
}

// ErrNotEmpty means the target of Copy holds data already.
var ErrNotEmpty = errors.New("the target database already holds data")

// Copy copies every row of every table of the SQLite database src into
// the PostgreSQL database dst, in one transaction of dst, keeping ids
// (and moving dst's id sequences past them), and converting SQLite's
// integer flags and text or blob values to dst's column types. Both must
// be migrated with the same schemas; schema_migrations is dst's own.
// It refuses with ErrNotEmpty, writing nothing, when a table of dst that
// it would fill holds rows.
func Copy(ctx context.Context, src, dst *sql.DB, opt CopyOptions) (CopyReport, error) {
	var rep CopyReport
	if DialectOf(src) != SQLite || DialectOf(dst) != PostgreSQL {
		return rep, errors.New("db: copy goes from SQLite to PostgreSQL")
	}
	tables, err := sqliteTables(ctx, src)
	if err != nil {
		return rep, err
	}
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("db: copy: %w", err)
	}
	defer tx.Rollback()
	same := map[string]bool{}
	for _, t := range opt.Same {
		same[t] = true
	}
	for _, t := range tables {
		if same[t] {
			if err := checkSame(ctx, src, tx, t); err != nil {
				return rep, err
			}
			continue
		}
		if err := checkEmpty(ctx, tx, t); err != nil {
			return rep, err
		}
	}
	for _, t := range tables {
		if same[t] {
			continue
		}
		n, err := copyTable(ctx, src, tx, t)
		if err != nil {
			return rep, fmt.Errorf("db: copy %s: %w", t, err)
		}
		rep.Tables = append(rep.Tables, TableCount{Table: t, Rows: n})
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("db: copy: commit: %w", err)
	}
	return rep, nil
}

// sqliteTables lists src's tables, each after the tables it references.
func sqliteTables(ctx context.Context, src *sql.DB) ([]string, error) {
	rows, err := src.QueryContext(ctx, `SELECT m.name, coalesce(f."table", '') FROM sqlite_master m
		LEFT JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND m.name <> 'schema_migrations' ORDER BY m.name`)
	if err != nil {
		return nil, fmt.Errorf("db: copy: list tables: %w", err)
	}
	defer rows.Close()
	refs := map[string][]string{}
	for rows.Next() {
		var t, ref string
		if err := rows.Scan(&t, &ref); err != nil {
			return nil, fmt.Errorf("db: copy: list tables: %w", err)
		}
		refs[t] = append(refs[t], ref)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("db: copy: list tables: %w", err)
	}
	names := make([]string, 0, len(refs))
	for t := range refs {
		names = append(names, t)
	}
	sort.Strings(names)
	var order []string
	placed := map[string]bool{}
	var place func(t string, depth int)
	place = func(t string, depth int) {
		if placed[t] || depth > len(names) {
			return
		}
		for _, r := range refs[t] {
			if r != "" && r != t {
				place(r, depth+1)
			}
		}
		if !placed[t] {
			placed[t] = true
			order = append(order, t)
		}
	}
	for _, t := range names {
		place(t, 0)
	}
	return order, nil
}

func checkEmpty(ctx context.Context, tx *sql.Tx, table string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+quote(table)).Scan(&n); err != nil {
		return fmt.Errorf("db: copy: %s in the target: %w", table, err)
	}
	if n > 0 {
		return fmt.Errorf("%w (%s has %d rows)", ErrNotEmpty, table, n)
	}
	return nil
}

// checkSame fails unless table holds the same rows in src and tx.
func checkSame(ctx context.Context, src *sql.DB, tx *sql.Tx, table string) error {
	a, err := allRows(ctx, src, table)
	if err != nil {
		return err
	}
	b, err := allRows(ctx, tx, table)
	if err != nil {
		return err
	}
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		return fmt.Errorf("db: copy: %s differs between the two databases", table)
	}
	return nil
}

func allRows(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+quote(table))
	if err != nil {
		return nil, fmt.Errorf("db: copy: read %s: %w", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("db: copy: read %s: %w", table, err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, fmt.Sprint(vals...))
	}
	sort.Strings(out)
	return out, rows.Err()
}

func quote(ident string) string { return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"` }
