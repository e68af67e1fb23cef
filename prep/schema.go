package prep

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// timeFormat is fixed-width so that stored instants compare as strings.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTime is a stored instant that may be NULL: the zero time then.
func nullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeFormat, s.String)
	if err != nil {
		return t, fmt.Errorf("stored time %q: %w", s.String, err)
	}
	return t, nil
}

// querier is a *sql.DB or a *sql.Tx. Reads that need no write lock take
// it: the database opens every transaction IMMEDIATE, so a GET of the form
// reads without a transaction instead of queueing behind writers.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// clock returns now, or time.Now when now is nil.
func clock(now func() time.Time) time.Time {
	if now == nil {
		return time.Now().UTC()
	}
	return now().UTC()
}
