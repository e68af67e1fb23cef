package sync

import (
	"context"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/ics"
)

// txn is one calendar's sync being applied.
type txn struct {
	ctx    context.Context
	tx     syncTx
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
	tx, err := e.begin(ctx)
	if err != nil {
		return 0, err
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
	if err := tx.SaveCursor(calID, cursor, now); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return t.events, nil
}

func (t *txn) loadRules(all []Calendar) (map[int64]calendars.Rules, error) {
	byName := make(map[string]calendars.Rules, len(all))
	for _, c := range all {
		byName[c.Name] = c.Rules
	}
	ids, err := t.tx.CalendarIDs()
	if err != nil {
		return nil, err
	}
	out := map[int64]calendars.Rules{}
	for name, id := range ids {
		if r, ok := byName[name]; ok {
			out[id] = r
		}
	}
	return out, nil
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
		if err := t.tx.DeleteObject(calID, href); err != nil {
			return nil, err
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
		if err := t.tx.PutObject(calID, o.Href, o.ETag, uid, o.Data); err != nil {
			return nil, err
		}
	}
	return uids, nil
}

func (t *txn) oldUID(calID int64, href string, uids map[string]bool) error {
	uid, ok, err := t.tx.ObjectUID(calID, href)
	if ok {
		uids[uid] = true
	}
	return err
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
	return t.tx.DueForExpansion(calID, t.to.Add(-24*time.Hour))
}
