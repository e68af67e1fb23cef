package store

import (
	"context"
	"fmt"
)

// StoredSteps are the next steps of one follow-up, as stored (sealed).
type StoredSteps struct {
	FollowUpID int64
	Email      string
	Steps      string
}

// HeldNextSteps returns the non-empty next steps of the "held" follow-ups
// of an occurrence.
func (c conn) HeldNextSteps(ctx context.Context, seriesUID, key string) ([]StoredSteps, error) {
	return c.nextSteps(ctx, `SELECT id, email, next_steps FROM prep_followups
		WHERE kind = 'followup' AND series_uid = ? AND recurrence_id = ? AND outcome = 'held' AND next_steps <> ''`, seriesUID, key)
}

// AllNextSteps returns every follow-up's non-empty next steps, for the
// one-time step that seals those an older version stored in plain text.
func (c conn) AllNextSteps(ctx context.Context) ([]StoredSteps, error) {
	return c.nextSteps(ctx, `SELECT id, email, next_steps FROM prep_followups WHERE next_steps <> ''`)
}

// SetNextSteps replaces the stored next steps of follow-up id.
func (c conn) SetNextSteps(ctx context.Context, id int64, steps string) error {
	if _, err := c.q.ExecContext(ctx, `UPDATE prep_followups SET next_steps = ? WHERE id = ?`, steps, id); err != nil {
		return fmt.Errorf("next steps of follow-up %d: %w", id, err)
	}
	return nil
}

func (c conn) nextSteps(ctx context.Context, query string, args ...any) ([]StoredSteps, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("next steps: %w", err)
	}
	defer rows.Close()
	var out []StoredSteps
	for rows.Next() {
		var s StoredSteps
		if err := rows.Scan(&s.FollowUpID, &s.Email, &s.Steps); err != nil {
			return nil, fmt.Errorf("next steps: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("next steps: %w", err)
	}
	return out, nil
}
