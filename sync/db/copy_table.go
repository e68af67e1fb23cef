package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// copyTable copies every row of table from src into tx and returns how
// many; afterwards identity columns continue after the largest id copied.
func copyTable(ctx context.Context, src *sql.DB, tx *sql.Tx, table string) (int, error) {
	types, identity, err := targetColumns(ctx, tx, table)
	if err != nil {
		return 0, err
	}
	rows, err := src.QueryContext(ctx, `SELECT * FROM `+quote(table))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		if _, ok := types[c]; !ok {
			return 0, fmt.Errorf("column %s is missing in the target (are both databases at the same version?)", c)
		}
		quoted[i] = quote(c)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+quote(table)+` (`+strings.Join(quoted, ", ")+`) VALUES (?`+
		strings.Repeat(", ?", len(cols)-1)+`)`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range cols {
			vals[i] = convert(vals[i], types[c])
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	for _, c := range identity {
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(`+quote(c)+`), 0) + 1, false) FROM `+quote(table),
			table, c); err != nil {
			return n, fmt.Errorf("move the %s sequence: %w", c, err)
		}
	}
	return n, nil
}

// targetColumns returns the data type of each column of table in the
// target, and its identity columns.
func targetColumns(ctx context.Context, tx *sql.Tx, table string) (map[string]string, []string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT column_name, data_type, is_identity FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ?`, table)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	types := map[string]string{}
	var identity []string
	for rows.Next() {
		var name, typ, ident string
		if err := rows.Scan(&name, &typ, &ident); err != nil {
			return nil, nil, err
		}
		types[name] = typ
		if ident == "YES" {
			identity = append(identity, name)
		}
	}
	if len(types) == 0 {
		return nil, nil, fmt.Errorf("no such table in the target (are both databases at the same version?)")
	}
	return types, identity, rows.Err()
}

// convert turns a value as SQLite stores it into one of the target
// column's type: integer flags into booleans, text and blobs into each other.
func convert(v any, typ string) any {
	switch typ {
	case "boolean":
		if n, ok := v.(int64); ok {
			return n != 0
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s)
		}
	case "text":
		if b, ok := v.([]byte); ok {
			return string(b)
		}
	}
	return v
}
