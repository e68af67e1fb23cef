package sync

import (
	"fmt"
	"sort"
	"time"
)

// settleVanished decides what the occurrences that dropped out of their
// series mean. When a series of the same pair appeared recently and starts
// at or after the first vanished one, the user split the series ("this and
// following"): the pair's meetings continue in the new series, nothing was
// cancelled. Otherwise each one is a cancellation (an EXDATE, a shortened
// UNTIL, a removed RDATE) — until a continuation arrives after all (see
// splitsArrivedLate).
func (t *txn) settleVanished() error {
	bySeries := map[int64][]vanish{}
	var order []int64
	for _, v := range t.vanished {
		if _, ok := bySeries[v.seriesID]; !ok {
			order = append(order, v.seriesID)
		}
		bySeries[v.seriesID] = append(bySeries[v.seriesID], v)
	}
	for _, sid := range order {
		vs := bySeries[sid]
		sort.Slice(vs, func(i, j int) bool { return vs[i].startsAt.Before(vs[j].startsAt) })
		next, err := t.successor(vs)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if next != 0 {
				err = t.setState(sid, v.key, "superseded")
			} else {
				err = t.cancelVanished(v)
			}
			if err != nil {
				return err
			}
		}
		if next != 0 {
			if err := t.linkSplit(vs, next); err != nil {
				return err
			}
		}
	}
	return t.splitsArrivedLate()
}

func (t *txn) cancelVanished(v vanish) error {
	if err := t.setState(v.seriesID, v.key, "cancelled"); err != nil {
		return err
	}
	notice := t.notice(v.startsAt)
	return t.history(v.pairID, v.seriesID, v.key, "cancelled", &v.start, nil, vanishedDetail, &notice)
}

// endSeries records that a tracked series is gone: its future
// occurrences are cancelled, and the series ended.
func (t *txn) endSeries(old *stored, reason string) error {
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE series SET state = 'ended', updated_at = ? WHERE id = ?`, t.now.Format(time.RFC3339), old.id); err != nil {
		return fmt.Errorf("end series: %w", err)
	}
	if !old.oneOnOne || !old.pairID.Valid {
		return nil
	}
	occ, err := t.loadOccurrences(old.id)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(occ))
	for k := range occ {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		o := occ[k]
		if !o.startsAt.After(t.now) || o.state == "cancelled" || o.state == "held" || o.state == "not_held" || o.state == "superseded" {
			continue
		}
		t.vanished = append(t.vanished, vanish{seriesID: old.id, pairID: old.pairID.Int64, key: k, start: o.start, startsAt: o.startsAt})
	}
	return t.history(old.pairID.Int64, old.id, "", "series_ended", nil, nil, reason, nil)
}

// markHeld turns tracked occurrences of the series this calendar holds
// the writable copy of, that have ended and were neither cancelled nor
// declined, into held meetings. Every series has one such calendar, so
// one pass over all calendars covers each series once.
func (t *txn) markHeld(calID int64) error {
	now := t.now.Format(time.RFC3339)
	rows, err := t.tx.QueryContext(t.ctx, `SELECT o.series_id, s.pair_id, o.recurrence_id, o.start FROM occurrences o JOIN series s ON s.id = o.series_id
		WHERE o.state IN ('scheduled', 'moved') AND o.ends_at <= ? AND s.one_on_one = 1 AND s.pair_id IS NOT NULL AND s.calendar_id = ?`, now, calID)
	if err != nil {
		return fmt.Errorf("held: %w", err)
	}
	type held struct {
		sid, pid   int64
		key, start string
	}
	var hs []held
	for rows.Next() {
		var h held
		if err := rows.Scan(&h.sid, &h.pid, &h.key, &h.start); err != nil {
			rows.Close()
			return err
		}
		hs = append(hs, h)
	}
	rows.Close()
	for _, h := range hs {
		if err := t.setState(h.sid, h.key, "held"); err != nil {
			return err
		}
		if err := t.history(h.pid, h.sid, h.key, "held", &h.start, nil, "", nil); err != nil {
			return err
		}
	}
	return nil
}
