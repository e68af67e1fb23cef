package sync

import (
	"sort"
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
	if err := t.tx.EndSeries(old.ID, t.now); err != nil {
		return err
	}
	if !old.OneOnOne || !old.PairID.Valid {
		return nil
	}
	occ, err := t.loadOccurrences(old.ID)
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
		if !o.StartsAt.After(t.now) || o.State == "cancelled" || o.State == "held" || o.State == "not_held" || o.State == "superseded" {
			continue
		}
		t.vanished = append(t.vanished, vanish{seriesID: old.ID, pairID: old.PairID.Int64, key: k, start: o.Start, startsAt: o.StartsAt})
	}
	return t.history(old.PairID.Int64, old.ID, "", "series_ended", nil, nil, reason, nil)
}

// markHeld turns tracked occurrences of the series this calendar holds
// the writable copy of, that have ended and were neither cancelled nor
// declined, into held meetings. Every series has one such calendar, so
// one pass over all calendars covers each series once.
func (t *txn) markHeld(calID int64) error {
	hs, err := t.tx.Ended(calID, t.now)
	if err != nil {
		return err
	}
	for _, h := range hs {
		if err := t.setState(h.SeriesID, h.Key, "held"); err != nil {
			return err
		}
		if err := t.history(h.PairID, h.SeriesID, h.Key, "held", &h.Start, nil, "", nil); err != nil {
			return err
		}
	}
	return nil
}
