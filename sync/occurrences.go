package sync

import (
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

type occRow struct {
	start, state string
	startsAt     time.Time
}

type vanish struct {
	seriesID, pairID int64
	uid, key, start  string
	startsAt         time.Time
}

// occState is what an occurrence is for the pair.
func occState(o calendars.Occurrence, people []calendars.Person) (state, declinedBy string) {
	if o.Status == calendars.StatusCancelled {
		return "cancelled", ""
	}
	for _, a := range o.Attendees {
		if a.PartStat != calendars.PartDeclined {
			continue
		}
		for _, p := range people {
			if a.Email == p.Email {
				return "declined", a.Email
			}
		}
	}
	if o.Moved {
		return "moved", ""
	}
	return "scheduled", ""
}

func (t *txn) loadOccurrences(seriesID int64) (map[string]occRow, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT recurrence_id, start, starts_at, state FROM occurrences WHERE series_id = ?`, seriesID)
	if err != nil {
		return nil, fmt.Errorf("load occurrences: %w", err)
	}
	defer rows.Close()
	out := map[string]occRow{}
	for rows.Next() {
		var k, startsAt string
		var r occRow
		if err := rows.Scan(&k, &r.start, &startsAt, &r.state); err != nil {
			return nil, err
		}
		r.startsAt, _ = time.Parse(time.RFC3339, startsAt)
		out[k] = r
	}
	return out, rows.Err()
}

func (t *txn) reconcileOccurrences(seriesID, pairID int64, s *calendars.Series, d calendars.Decision, fresh bool) error {
	old, err := t.loadOccurrences(seriesID)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	exp, cut := s.ExpandBounded(t.from, t.to)
	if cut != "" {
		t.e.logger().Warn("calendar data problem", "uid", s.UID, "problem", cut)
	}
	moves := seriesMoves(old, exp, zone(s), t.from, t.to)
	for _, n := range exp {
		key := calendars.FormatKey(n.Key, n.AllDay)
		movedBy, skip, err := t.followMove(seriesID, s.UID, key, n, moves, old, seen)
		if err != nil {
			return err
		}
		if skip {
			continue
		}
		seen[key] = true
		state, by := occState(n, d.People)
		o, ok := old[key]
		if ok && (o.state == "held" || o.state == "not_held" || o.state == "superseded") {
			continue // the past is not rewritten
		}
		if ok {
			if err := t.transition(seriesID, pairID, key, o, n, state, by, movedBy); err != nil {
				return err
			}
		}
		if !ok && (state == "scheduled" || state == "moved") && !n.End.After(t.now) {
			// First seen after it ended (the first sync looks 30 days
			// back): it happened, but nothing was observed happening.
			state = "held"
		}
		if !ok || o.state != state || !o.startsAt.Equal(n.Start) {
			if err := t.saveOccurrence(seriesID, key, n, state, by); err != nil {
				return err
			}
		}
	}
	for key, o := range old {
		if seen[key] || o.state == "cancelled" || o.state == "held" || o.state == "not_held" || o.state == "superseded" {
			continue
		}
		if o.startsAt.Before(t.from) || !o.startsAt.Before(t.to) {
			continue // left the window as time passed: nothing happened to it
		}
		t.vanished = append(t.vanished, vanish{seriesID: seriesID, pairID: pairID, uid: s.UID, key: key, start: o.start, startsAt: o.startsAt})
	}
	return nil
}

// followMove re-keys the stored occurrence that a series-level change
// gave the key key, if any, and returns the detail of its move. A
// meeting already past keeps the key it had, and skip is true: its new
// counterpart n is the same meeting, unless n is still to come on another
// day (a series moved to Wednesdays on the Tuesday after its meeting has
// one tomorrow), which is a meeting of its own.
func (t *txn) followMove(seriesID int64, uid, key string, n calendars.Occurrence, moves map[string]string, old map[string]occRow, seen map[string]bool) (string, bool, error) {
	from, ok := moves[key]
	if !ok {
		return "", false, nil
	}
	seen[from] = true
	o := old[from]
	if o.state == "held" || o.state == "superseded" || !o.startsAt.After(t.now) {
		y1, m1, d1 := o.startsAt.In(n.Start.Location()).Date()
		y2, m2, d2 := n.Start.Date()
		sameDay := y1 == y2 && m1 == m2 && d1 == d2
		return "", sameDay || !n.Start.After(t.now), nil
	}
	if err := t.rekey(seriesID, uid, from, key); err != nil {
		return "", false, err
	}
	delete(old, from)
	old[key] = o
	return "the whole series moved", false, nil
}

// transition records what changed between the stored and the new state
// of one occurrence.
func (t *txn) transition(seriesID, pairID int64, key string, o occRow, n calendars.Occurrence, state, by, movedBy string) error {
	newStart := calendars.FormatTime(n.Start, n.AllDay)
	notice := t.notice(o.startsAt)
	switch {
	case state == "cancelled" && o.state != "cancelled":
		return t.history(pairID, seriesID, key, "cancelled", &o.start, nil, "cancelled in the calendar", &notice)
	case state != "cancelled" && o.state == "cancelled":
		if err := t.history(pairID, seriesID, key, "restored", nil, &newStart, "", nil); err != nil {
			return err
		}
	case state == "declined" && o.state != "declined":
		if err := t.history(pairID, seriesID, key, "declined", &o.start, nil, by+" declined", &notice); err != nil {
			return err
		}
	case state != "declined" && o.state == "declined":
		if err := t.history(pairID, seriesID, key, "restored", nil, &newStart, "accepted again", nil); err != nil {
			return err
		}
	}
	if state != "cancelled" && !o.startsAt.Equal(n.Start) {
		return t.history(pairID, seriesID, key, "moved", &o.start, &newStart, movedBy, &notice)
	}
	return nil
}

// notice is the hours between now and the start that was planned.
func (t *txn) notice(planned time.Time) float64 {
	h := planned.Sub(t.now).Hours()
	return float64(int64(h*10+0.5)) / 10
}

func (t *txn) saveOccurrence(seriesID int64, key string, n calendars.Occurrence, state, by string) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO occurrences (series_id, recurrence_id, start, end, starts_at, ends_at, all_day, state, declined_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (series_id, recurrence_id) DO UPDATE SET start = excluded.start, end = excluded.end, starts_at = excluded.starts_at,
		ends_at = excluded.ends_at, state = excluded.state, declined_by = excluded.declined_by, updated_at = excluded.updated_at`,
		seriesID, key, calendars.FormatTime(n.Start, n.AllDay), calendars.FormatTime(n.End, n.AllDay), n.Start.UTC().Format(time.RFC3339),
		n.End.UTC().Format(time.RFC3339), n.AllDay, state, by, t.now.Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("save occurrence %s: %w", key, err)
	}
	return nil
}

func (t *txn) setState(seriesID int64, key, state string) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE occurrences SET state = ?, updated_at = ? WHERE series_id = ? AND recurrence_id = ?`,
		state, t.now.Format(time.RFC3339), seriesID, key)
	if err != nil {
		return fmt.Errorf("occurrence %s: %w", key, err)
	}
	return nil
}
