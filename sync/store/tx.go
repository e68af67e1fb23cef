package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Tx is one calendar's sync: objects, series, occurrences, history and
// the cursor change together or not at all. The engine begins it, runs
// the reconcile step on it and commits it.
type Tx struct {
	ctx context.Context
	tx  *sql.Tx
}

// Begin starts a sync transaction bound to ctx.
func (s Store) Begin(ctx context.Context) (*Tx, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sync: begin: %w", err)
	}
	return &Tx{ctx: ctx, tx: tx}, nil
}

// Commit makes the sync's changes visible.
func (t *Tx) Commit() error {
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("sync: commit: %w", err)
	}
	return nil
}

// Rollback drops the sync's changes; after Commit it does nothing.
func (t *Tx) Rollback() { _ = t.tx.Rollback() }

// SQL is the transaction itself, for what others keep by occurrence and
// move along with it in the same transaction (the engine's Rekeyer).
func (t *Tx) SQL() *sql.Tx { return t.tx }

// ObjectUID is the UID of the stored object at href; ok is false when
// none is stored.
func (t *Tx) ObjectUID(calID int64, href string) (uid string, ok bool, err error) {
	err = t.tx.QueryRowContext(t.ctx, `SELECT uid FROM calendar_objects WHERE calendar_id = ? AND href = ?`, calID, href).Scan(&uid)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("sync: lookup %s: %w", href, err)
	}
	return uid, true, nil
}

// DeleteObject forgets the object at href.
func (t *Tx) DeleteObject(calID int64, href string) error {
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM calendar_objects WHERE calendar_id = ? AND href = ?`, calID, href); err != nil {
		return fmt.Errorf("sync: delete %s: %w", href, err)
	}
	return nil
}

// PutObject stores the object at href, replacing what was there.
func (t *Tx) PutObject(calID int64, href, etag, uid string, data []byte) error {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO calendar_objects (calendar_id, href, etag, uid, data) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (calendar_id, href) DO UPDATE SET etag = excluded.etag, uid = excluded.uid, data = excluded.data`,
		calID, href, etag, uid, data); err != nil {
		return fmt.Errorf("sync: store %s: %w", href, err)
	}
	return nil
}

// DueForExpansion returns the UIDs of the active series held in the
// calendar whose occurrences were materialized only to before edge.
func (t *Tx) DueForExpansion(calID int64, edge time.Time) ([]string, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT DISTINCT s.uid FROM series s JOIN calendar_objects o ON o.uid = s.uid
		WHERE o.calendar_id = ? AND s.state = 'active' AND s.expanded_to < ?`, calID, utc(edge))
	if err != nil {
		return nil, fmt.Errorf("sync: due series: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("sync: due series: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CalendarIDs maps every stored calendar's name to its id.
func (t *Tx) CalendarIDs() (map[string]int64, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, name FROM calendars`)
	if err != nil {
		return nil, fmt.Errorf("sync: calendars: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("sync: calendars: %w", err)
		}
		out[name] = id
	}
	return out, rows.Err()
}

// SaveCursor stores the calendar's new cursor and marks it healthy.
func (t *Tx) SaveCursor(calID int64, cursor string, now time.Time) error {
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE calendars SET cursor = ?, healthy = TRUE, last_error = '', last_success = ?, last_attempt = ? WHERE id = ?`,
		cursor, utc(now), utc(now), calID); err != nil {
		return fmt.Errorf("sync: save cursor: %w", err)
	}
	return nil
}
