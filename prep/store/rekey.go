package store

import (
	"context"
	"fmt"
)

// RekeyRequests moves the requests of an occurrence to its new key, in
// the caller's transaction, except those whose person already has a
// request under the new key (they stay where they were).
func (w Tx) RekeyRequests(ctx context.Context, fromUID, fromKey, toUID, toKey string) error {
	if _, err := w.tx.ExecContext(ctx, `UPDATE prep_requests SET series_uid = ?, recurrence_id = ?
		WHERE series_uid = ? AND recurrence_id = ? AND NOT EXISTS (SELECT 1 FROM prep_requests d
		  WHERE d.series_uid = ? AND d.recurrence_id = ? AND d.email = prep_requests.email)`,
		toUID, toKey, fromUID, fromKey, toUID, toKey); err != nil {
		return fmt.Errorf("rekey requests of %s %s: %w", fromUID, fromKey, err)
	}
	return nil
}

// RekeyAgenda moves an occurrence's unfinished agenda record to its new
// key with its hash cleared (the block must be written again), unless the
// new key has one.
func (w Tx) RekeyAgenda(ctx context.Context, fromUID, fromKey, toUID, toKey string) error {
	if _, err := w.tx.ExecContext(ctx, `UPDATE prep_agenda_writes SET series_uid = ?, recurrence_id = ?, block_hash = ''
		WHERE series_uid = ? AND recurrence_id = ? AND final_at IS NULL AND NOT EXISTS (SELECT 1 FROM prep_agenda_writes d
		  WHERE d.series_uid = ? AND d.recurrence_id = ?)`,
		toUID, toKey, fromUID, fromKey, toUID, toKey); err != nil {
		return fmt.Errorf("rekey agenda of %s %s: %w", fromUID, fromKey, err)
	}
	return nil
}

// CarryPauses pauses in series toUID whoever paused series fromUID.
func (w Tx) CarryPauses(ctx context.Context, fromUID, toUID string) error {
	if _, err := w.tx.ExecContext(ctx, `INSERT INTO prep_pauses (series_uid, email, paused_at)
		SELECT CAST(? AS TEXT), email, paused_at FROM prep_pauses WHERE series_uid = ? ON CONFLICT DO NOTHING`, toUID, fromUID); err != nil {
		return fmt.Errorf("carry pauses of %s to %s: %w", fromUID, toUID, err)
	}
	return nil
}
