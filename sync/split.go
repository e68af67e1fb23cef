package sync

import (
	"fmt"
	"sort"
	"time"
)

// A "this and following" split reaches the engine as two changes: the old
// series ends earlier (UNTIL) and a new series of the same pair starts
// where it stopped. They may come in one sync or in two (the same meeting
// is watched in both people's calendars, and each copy is synced on its
// own), in either order. The new series is recognised as the continuation
// when it was first seen less than splitWindow ago and starts no earlier
// than a week before the first occurrence that dropped out.
const splitWindow = 24 * time.Hour

// vanishedDetail is the detail of a cancellation by an occurrence that
// dropped out of its series; a split that arrives late turns these back.
const vanishedDetail = "removed from the series (excluded date or the series now ends earlier)"

// successor finds the series that continues the pair's series from the
// vanished occurrences vs (sorted by start), or 0. Only a tail can be
// continued: an occurrence excluded from the middle of a series is a
// cancellation, whatever else the pair does that day.
func (t *txn) successor(vs []vanish) (int64, error) {
	v := vs[0]
	if tail, err := t.isTail(v.seriesID, v.startsAt, len(vs)); err != nil || !tail {
		return 0, err
	}
	uid, err := t.seriesUID(v.seriesID)
	if err != nil {
		return 0, err
	}
	cands, err := t.tx.Candidates(v.seriesID, v.pairID, t.now.Add(-splitWindow))
	if err != nil {
		return 0, err
	}
	for _, c := range cands {
		f, err := time.Parse(time.RFC3339, c.First)
		if err != nil || (c.Continues != "" && c.Continues != uid) {
			continue // nothing planned yet, or the continuation of another series
		}
		if !f.Before(v.startsAt.Add(-7 * 24 * time.Hour)) {
			return c.ID, nil
		}
	}
	return 0, nil
}

// isTail reports whether the series has exactly n occurrences still to
// take place from from on: those n are all it had left.
func (t *txn) isTail(seriesID int64, from time.Time, n int) (bool, error) {
	live, err := t.tx.Live(seriesID, from)
	if err != nil {
		return false, err
	}
	return live == n, nil
}

func (t *txn) seriesUID(id int64) (string, error) {
	return t.tx.SeriesUID(id)
}

// linkSplit records that series next continues the series the vanished
// occurrences vs (sorted by start) dropped out of, and carries what prep
// keeps for each of them to the occurrence of next that takes its place.
func (t *txn) linkSplit(vs []vanish, next int64) error {
	uid, err := t.seriesUID(vs[0].seriesID)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("continues series %s from %s (\"this and following\" change)", uid, vs[0].start)
	if err := t.tx.LinkSplit(next, uid, detail); err != nil {
		return err
	}
	return t.carryOver(uid, vs, next)
}

// carryOver pairs the vanished occurrences with the continuation's own
// (same day, else in order less than one interval apart) and moves prep's
// records along.
func (t *txn) carryOver(uid string, vs []vanish, next int64) error {
	nextUID, err := t.seriesUID(next)
	if err != nil {
		return err
	}
	tz, err := t.tx.SeriesZone(next)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	occ, err := t.loadOccurrences(next)
	if err != nil {
		return err
	}
	var gone, added []slot
	for _, v := range vs {
		gone = append(gone, slotOf(v.key, loc))
	}
	for k := range occ {
		added = append(added, slotOf(k, loc))
	}
	sortSlots(gone)
	sortSlots(added)
	pairs := pairSlots(gone, added, interval(added))
	keys := make([]string, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, to := range keys {
		if err := t.follow(Ref{uid, pairs[to]}, Ref{nextUID, to}); err != nil {
			return err
		}
	}
	return nil
}

// splitsArrivedLate handles the continuation that arrives after the
// shortened series was already synced (another calendar's copy, a later
// sync): the cancellations its shortening recorded recently are taken
// back, those occurrences are superseded, and the split is linked.
func (t *txn) splitsArrivedLate() error {
	ids := make([]int64, 0, len(t.created))
	for id := range t.created {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		vs, err := t.retractable(id)
		if err != nil {
			return err
		}
		if len(vs) == 0 {
			continue
		}
		if err := t.retract(vs); err != nil {
			return err
		}
		if err := t.linkSplit(vs, id); err != nil {
			return err
		}
	}
	return nil
}

// retractable returns the recent vanish cancellations of one other series
// of the pair of the new series id that it can continue, sorted by start.
func (t *txn) retractable(id int64) ([]vanish, error) {
	pairID, continues, first, ok := t.tx.Continuation(id)
	if !ok || continues != "" || first == "" || pairID == 0 {
		return nil, nil // not a 1:1, already linked, or nothing planned
	}
	f, _ := time.Parse(time.RFC3339, first)
	cs, err := t.tx.Cancellations(pairID, id, vanishedDetail, t.now.Add(-splitWindow), f.Add(-7*24*time.Hour))
	if err != nil {
		return nil, err
	}
	var out []vanish
	for _, c := range cs {
		if len(out) > 0 && out[0].seriesID != c.SeriesID {
			break // one predecessor per continuation
		}
		out = append(out, vanish{seriesID: c.SeriesID, pairID: pairID, key: c.Key, start: c.Start, startsAt: c.StartsAt})
	}
	if len(out) == 0 {
		return nil, nil
	}
	if tail, err := t.isTail(out[0].seriesID, out[0].startsAt, 0); err != nil || !tail {
		return nil, err // the predecessor goes on after them: those were cancellations
	}
	return out, nil
}

// retract turns the cancellations of vs back into superseded occurrences.
func (t *txn) retract(vs []vanish) error {
	keys := make([]string, len(vs))
	for i, v := range vs {
		if err := t.setState(v.seriesID, v.key, "superseded"); err != nil {
			return err
		}
		keys[i] = v.key
	}
	return t.tx.DeleteCancellations(vs[0].seriesID, vanishedDetail, keys)
}
