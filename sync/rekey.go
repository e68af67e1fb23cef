package sync

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Ref names one occurrence the way everything outside the engine does:
// the series' UID and the occurrence key (its original start in UTC, or a
// date for all-day series).
type Ref struct {
	SeriesUID    string
	RecurrenceID string
}

// Rekeyer is told, inside the sync transaction, that an occurrence now has
// another key: its series was moved as a whole (new DTSTART, RRULE or time
// zone), or it continues in the new series of a "this and following"
// split. Whatever is keyed by the occurrence (prep requests, agenda
// writes) follows it in the same transaction.
type Rekeyer func(ctx context.Context, tx *sql.Tx, from, to Ref) error

// slot is an occurrence seen only by when it was planned: its key, the
// instant of the key, and the key's day in the series' zone.
type slot struct {
	key string
	at  time.Time
	day string
}

func slotOf(key string, loc *time.Location) slot {
	at, err := time.Parse(time.RFC3339, key)
	if err != nil { // an all-day key is a date
		at, _ = time.ParseInLocation("2006-01-02", key, loc)
	}
	return slot{key: key, at: at, day: at.In(loc).Format("2006-01-02")}
}

// pairSlots matches occurrences that left a series (gone) with those that
// joined it (added) in the same change: first those planned on the same
// day (a new time of day or time zone), then, in order, those less than
// one interval apart (a new weekday, a split continuing a day later). It
// returns added key → gone key; whatever is left over truly disappeared
// or is new.
func pairSlots(gone, added []slot, interval time.Duration) map[string]string {
	out := map[string]string{}
	byDay := map[string][]int{}
	for i, a := range added {
		byDay[a.day] = append(byDay[a.day], i)
	}
	used := make([]bool, len(added))
	var restGone []slot
	for _, g := range gone {
		if is := byDay[g.day]; len(is) > 0 {
			out[added[is[0]].key], used[is[0]] = g.key, true
			byDay[g.day] = is[1:]
			continue
		}
		restGone = append(restGone, g)
	}
	var restAdded []slot
	for i, a := range added {
		if !used[i] {
			restAdded = append(restAdded, a)
		}
	}
	for i, j := 0, 0; i < len(restGone) && j < len(restAdded); {
		g, a := restGone[i], restAdded[j]
		switch d := a.at.Sub(g.at); {
		case d.Abs() < interval:
			out[a.key] = g.key
			i, j = i+1, j+1
		case d < 0:
			j++
		default:
			i++
		}
	}
	return out
}

// interval is the shortest gap between consecutive planned occurrences,
// a week when there are too few to tell.
func interval(slots []slot) time.Duration {
	gap := 7 * 24 * time.Hour
	for i := 1; i < len(slots); i++ {
		if d := slots[i].at.Sub(slots[i-1].at); d > 0 && d < gap {
			gap = d
		}
	}
	return gap
}

func sortSlots(s []slot) {
	sort.Slice(s, func(i, j int) bool { return s[i].at.Before(s[j].at) })
}

// seriesMoves pairs the stored occurrences that a series-level change
// re-keyed with their new keys (new key → old key). Occurrences already
// final (held, superseded) take part so that the past is matched, and
// then left alone.
func seriesMoves(old map[string]occRow, exp []calendars.Occurrence, loc *time.Location, from, to time.Time) map[string]string {
	var gone, added, all []slot
	inNew := map[string]bool{}
	for _, n := range exp {
		s := slotOf(calendars.FormatKey(n.Key, n.AllDay), loc)
		inNew[s.key] = true
		all = append(all, s)
		if _, ok := old[s.key]; !ok {
			added = append(added, s)
		}
	}
	for k, o := range old {
		if !inNew[k] && !o.StartsAt.Before(from) && o.StartsAt.Before(to) {
			gone = append(gone, slotOf(k, loc))
		}
	}
	if len(gone) == 0 || len(added) == 0 {
		return nil
	}
	sortSlots(gone)
	sortSlots(added)
	sortSlots(all)
	return pairSlots(gone, added, interval(all))
}

// rekey gives a stored occurrence its new key; its history goes with it,
// and so does everything the Rekeyer keeps.
func (t *txn) rekey(seriesID int64, uid, from, to string) error {
	if err := t.tx.Rekey(seriesID, from, to); err != nil {
		return err
	}
	return t.follow(Ref{uid, from}, Ref{uid, to})
}

// follow tells the Rekeyer that from is now to.
func (t *txn) follow(from, to Ref) error {
	if t.e.OnRekey == nil {
		return nil
	}
	if err := t.e.OnRekey(t.ctx, t.tx.SQL(), from, to); err != nil {
		return fmt.Errorf("rekey %s %s: %w", from.SeriesUID, from.RecurrenceID, err)
	}
	return nil
}

// zone is where a series' occurrence days are counted.
func zone(s *calendars.Series) *time.Location {
	if s.TimeZone != "" {
		if l, err := time.LoadLocation(s.TimeZone); err == nil {
			return l
		}
	}
	return time.UTC
}
