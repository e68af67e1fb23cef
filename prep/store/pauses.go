package store

import (
	"context"
	"fmt"
	"time"
)

// Paused reports whether email paused the mails of a series; email is
// lowercased by the caller.
func (c conn) Paused(ctx context.Context, seriesUID, email string) (bool, error) {
	var n int
	err := c.q.QueryRowContext(ctx, `SELECT count(*) FROM prep_pauses WHERE series_uid = ? AND email = ?`,
		seriesUID, email).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("pause of %s in %s: %w", email, seriesUID, err)
	}
	return n > 0, nil
}

// SetPaused pauses (at at) or resumes the mails of a series for email.
func (c conn) SetPaused(ctx context.Context, seriesUID, email string, pause bool, at time.Time) error {
	q := `DELETE FROM prep_pauses WHERE series_uid = ? AND email = ?`
	args := []any{seriesUID, email}
	if pause {
		q = `INSERT INTO prep_pauses (series_uid, email, paused_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
		args = append(args, formatTime(at))
	}
	if _, err := c.q.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("pause %s for %s: %w", seriesUID, email, err)
	}
	return nil
}
