package sync

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/ics"
)

// txn is one calendar's sync being applied.
type txn struct {
	ctx    context.Context
	tx     *sql.Tx
	e      *Engine
	now    time.Time
	from   time.Time
	to     time.Time
	rules  map[int64]calendars.Rules // by calendar id
	events int
	// vanished holds, per series, occurrences that dropped out of the
	// series; they become cancellations unless a split explains them.
	vanished []vanish
	created  map[int64]bool // series first seen in this transaction
}

func (e *Engine) apply(ctx context.Context, calID int64, cal Calendar, all []Calendar, d calendars.Delta, cursor string) (int, error) {
	tx, err := e.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sync: begin: %w", err)
	}
	defer tx.Rollback()
	now := e.now()
	w := e.window()
	t := &txn{ctx: ctx, tx: tx, e: e, now: now, from: now.Add(-w.Past), to: now.Add(w.Ahead), created: map[int64]bool{}}
	uids, err := t.applyObjects(calID, d)
	if err != nil {
		return 0, err
	}
	due, err := t.dueForExpansion(calID)
	if err != nil {
		return 0, err
	}
	for _, u := range due {
		uids[u] = true
	}
	if len(uids) > 0 { // an idle poll reconciles nothing and needs no rules
		if t.rules, err = t.loadRules(all); err != nil {
			return 0, err
		}
	}
	for uid := range uids {
		if err := t.reconcile(uid); err != nil {
			return 0, fmt.Errorf("sync: series %s: %w", uid, err)
		}
	}
	if err := t.settleVanished(); err != nil {
		return 0, err
	}
	if err := t.markHeld(calID); err != nil {
		return 0, err
	}
	nowText := now.Format(time.RFC3339)
	if _, err := tx.ExecContext(ctx, `UPDATE calendars SET cursor = ?, healthy = 1, last_error = '', last_success = ?, last_attempt = ? WHERE id = ?`,
		cursor, nowText, nowText, calID); err != nil {
		return 0, fmt.Errorf("sync: save cursor: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sync: commit: %w", err)
	}
	return t.events, nil
}

func (t *txn) loadRules(all []Calendar) (map[int64]calendars.Rules, error) {
	byName := make(map[string]calendars.Rules, len(all))
	for _, c := range all {
		byName[c.Name] = c.Rules
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, name FROM calendars`)
	if err != nil {
		return nil, fmt.Errorf("sync: rules: %w", err)
	}
	defer rows.Close()
	out := map[int64]calendars.Rules{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("sync: rules: %w", err)
		}
		if r, ok := byName[name]; ok {
			out[id] = r
		}
	}
	return out, rows.Err()
}

// applyObjects stores the changed objects and returns the UIDs they touch
// (before and after the change).
func (t *txn) applyObjects(calID int64, d calendars.Delta) (map[string]bool, error) {
	uids := map[string]bool{}
	for _, why := range d.Skipped {
		t.e.logger().Warn("calendar object not read", "calendar_id", calID, "problem", why)
	}
	for _, href := range d.Deleted {
		if err := t.oldUID(calID, href, uids); err != nil {
			return nil, err
		}
		if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM calendar_objects WHERE calendar_id = ? AND href = ?`, calID, href); err != nil {
			return nil, fmt.Errorf("sync: delete %s: %w", href, err)
		}
	}
	for _, o := range d.Updated {
		if len(o.Data) > calendars.MaxObjectBytes {
			// Not stored: the copy read before, if any, stays, so one
			// hostile object costs neither the database nor the others.
			t.e.logger().Warn("calendar object over the size limit; not read", "calendar_id", calID, "href", o.Href,
				"problem", fmt.Sprintf("%s: %d bytes, over the limit of %d for one calendar object; skipped", o.Href, len(o.Data), calendars.MaxObjectBytes))
			continue
		}
		if err := t.oldUID(calID, o.Href, uids); err != nil {
			return nil, err
		}
		uid := objectUID(o.Data)
		if uid == "" {
			continue // a VTODO or VJOURNAL, or nothing readable: no series
		}
		uids[uid] = true
		if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO calendar_objects (calendar_id, href, etag, uid, data) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (calendar_id, href) DO UPDATE SET etag = excluded.etag, uid = excluded.uid, data = excluded.data`,
			calID, o.Href, o.ETag, uid, o.Data); err != nil {
			return nil, fmt.Errorf("sync: store %s: %w", o.Href, err)
		}
	}
	return uids, nil
}

func (t *txn) oldUID(calID int64, href string, uids map[string]bool) error {
	var uid string
	err := t.tx.QueryRowContext(t.ctx, `SELECT uid FROM calendar_objects WHERE calendar_id = ? AND href = ?`, calID, href).Scan(&uid)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sync: lookup %s: %w", href, err)
	}
	uids[uid] = true
	return nil
}

// objectUID is the UID of the first VEVENT in a resource.
func objectUID(data []byte) string {
	roots, _ := ics.Parse(data)
	for _, r := range roots {
		comps := append([]*ics.Component{r}, r.Children...)
		for _, c := range comps {
			if c.Name != "VEVENT" {
				continue
			}
			if p := c.Prop("UID"); p != nil && len(p.Value) <= calendars.MaxTextBytes {
				return p.Value
			}
		}
	}
	return ""
}

// dueForExpansion returns the active 1:1 series held in this calendar
// whose occurrences were last materialized to a window end that time has
// since moved past by more than a day.
func (t *txn) dueForExpansion(calID int64) ([]string, error) {
	edge := t.to.Add(-24 * time.Hour).Format(time.RFC3339)
	rows, err := t.tx.QueryContext(t.ctx, `SELECT DISTINCT s.uid FROM series s JOIN calendar_objects o ON o.uid = s.uid
		WHERE o.calendar_id = ? AND s.state = 'active' AND s.expanded_to < ?`, calID, edge)
	if err != nil {
		return nil, fmt.Errorf("sync: due series: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
