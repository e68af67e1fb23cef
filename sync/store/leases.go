package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/sync/db"
)

// Lease rows are claimed with FOR UPDATE SKIP LOCKED where the database
// has it, so that instances claiming at the same moment skip each
// other's rows instead of waiting; SQLite has one writer at a time and an
// immediate transaction is enough.
func skipLocked(d *sql.DB) string {
	if db.DialectOf(d) == db.PostgreSQL {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// Heartbeat records that holder lives until until, renews every lease it
// holds to the same instant, forgets instances gone before now, and
// returns how many instances are alive and whether another instance asked
// for a poll of a calendar holder holds (RequestPoll; the request is
// cleared).
func (s Store) Heartbeat(ctx context.Context, holder string, now, until time.Time) (alive int, wake bool, err error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("sync: lease heartbeat: %w", err)
	}
	defer tx.Rollback()
	steps := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO sync_instances (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at`, []any{holder, utc(until)}},
		{`DELETE FROM sync_instances WHERE expires_at < ?`, []any{utc(now)}},
		{`UPDATE sync_leases SET expires_at = ? WHERE holder = ?`, []any{utc(until), holder}},
	}
	res, err := tx.ExecContext(ctx, `UPDATE sync_leases SET wake_at = '' WHERE holder = ? AND wake_at <> ''`, holder)
	if err != nil {
		return 0, false, fmt.Errorf("sync: lease heartbeat: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		wake = true
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
			return 0, false, fmt.Errorf("sync: lease heartbeat: %w", err)
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_instances`).Scan(&alive); err != nil {
		return 0, false, fmt.Errorf("sync: lease heartbeat: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("sync: lease heartbeat: commit: %w", err)
	}
	return alive, wake, nil
}

// SetLeases makes the lease rows the calendars named: a row for each
// new one (free), none for a calendar no longer configured.
func (s Store) SetLeases(ctx context.Context, names []string) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sync: lease rows: %w", err)
	}
	defer tx.Rollback()
	have, err := column(ctx, tx, `SELECT calendar FROM sync_leases`)
	if err != nil {
		return fmt.Errorf("sync: lease rows: %w", err)
	}
	known, wanted := set(have), set(names)
	for _, n := range names {
		if !known[n] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_leases (calendar) VALUES (?) ON CONFLICT (calendar) DO NOTHING`, n); err != nil {
				return fmt.Errorf("sync: lease row %s: %w", n, err)
			}
		}
	}
	for _, h := range have {
		if !wanted[h] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sync_leases WHERE calendar = ?`, h); err != nil {
				return fmt.Errorf("sync: lease row %s: %w", h, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sync: lease rows: commit: %w", err)
	}
	return nil
}

// Claimed is what one claim did.
type Claimed struct {
	Held      []string // every calendar the holder holds now
	TakenOver int      // leases taken from an instance whose lease had expired
	Released  int      // leases handed back because the holder held more than its share
}

// ClaimLeases brings what holder holds to share calendars: it takes free
// and expired leases (until until) when it holds fewer, and hands back
// the excess when it holds more (another instance came).
func (s Store) ClaimLeases(ctx context.Context, holder string, now, until time.Time, share int) (Claimed, error) {
	var c Claimed
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return c, fmt.Errorf("sync: claim leases: %w", err)
	}
	defer tx.Rollback()
	held, err := column(ctx, tx, `SELECT calendar FROM sync_leases WHERE holder = ? ORDER BY calendar`, holder)
	if err != nil {
		return c, fmt.Errorf("sync: claim leases: %w", err)
	}
	switch {
	case len(held) < share:
		c.TakenOver, err = s.take(ctx, tx, holder, now, until, share-len(held))
	case len(held) > share:
		c.Released, err = release(ctx, tx, holder, held[share:])
	}
	if err != nil {
		return c, fmt.Errorf("sync: claim leases: %w", err)
	}
	if c.Held, err = column(ctx, tx, `SELECT calendar FROM sync_leases WHERE holder = ? ORDER BY calendar`, holder); err != nil {
		return c, fmt.Errorf("sync: claim leases: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return c, fmt.Errorf("sync: claim leases: commit: %w", err)
	}
	return c, nil
}

// take claims up to n free or expired leases and returns how many of
// them had another holder.
func (s Store) take(ctx context.Context, tx *sql.Tx, holder string, now, until time.Time, n int) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT calendar, holder FROM sync_leases
		WHERE holder <> ? AND (holder = '' OR expires_at < ?) ORDER BY calendar LIMIT ?`+skipLocked(s.DB), holder, utc(now), n)
	if err != nil {
		return 0, err
	}
	var names []string
	takeovers := 0
	for rows.Next() {
		var name, was string
		if err := rows.Scan(&name, &was); err != nil {
			rows.Close()
			return 0, err
		}
		names = append(names, name)
		if was != "" {
			takeovers++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `UPDATE sync_leases SET holder = ?, expires_at = ? WHERE calendar = ?`, holder, utc(until), name); err != nil {
			return 0, err
		}
	}
	return takeovers, nil
}

func release(ctx context.Context, tx *sql.Tx, holder string, names []string) (int, error) {
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `UPDATE sync_leases SET holder = '', expires_at = '' WHERE calendar = ? AND holder = ?`, name, holder); err != nil {
			return 0, err
		}
	}
	return len(names), nil
}

// RequestPoll asks the holder of calendar's lease to poll it now.
func (s Store) RequestPoll(ctx context.Context, calendar string, now time.Time) error {
	if _, err := s.DB.ExecContext(ctx, `UPDATE sync_leases SET wake_at = ? WHERE calendar = ?`, utc(now), calendar); err != nil {
		return fmt.Errorf("sync: request a poll of %s: %w", calendar, err)
	}
	return nil
}

// ReleaseLeases hands back every lease of holder at once and removes it
// from the instances alive: it is stopping.
func (s Store) ReleaseLeases(ctx context.Context, holder string) error {
	if _, err := s.DB.ExecContext(ctx, `UPDATE sync_leases SET holder = '', expires_at = '' WHERE holder = ?`, holder); err != nil {
		return fmt.Errorf("sync: release leases: %w", err)
	}
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM sync_instances WHERE id = ?`, holder); err != nil {
		return fmt.Errorf("sync: release leases: %w", err)
	}
	return nil
}

func column(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func set(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
