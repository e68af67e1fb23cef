package sync

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// maxStoredPeople bounds the people stored for a series that is not a
// 1:1 (a 1:1 has two): an invitation to hundreds costs a short row.
const maxStoredPeople = 10

// stored is a series row.
type stored struct {
	id       int64
	pairID   sql.NullInt64
	oneOnOne bool
	state    string
}

// copyOf is one calendar's copy of a series.
type copyOf struct {
	calID int64
	owner string
	href  string
	data  []byte
}

// reconcile re-reads every copy of a UID, decides whether it is a 1:1,
// and brings the stored series and its occurrences up to date.
func (t *txn) reconcile(uid string) error {
	copies, err := t.copies(uid)
	if err != nil {
		return err
	}
	old, err := t.loadSeries(uid)
	if err != nil {
		return err
	}
	s := t.read(uid, copies)
	if s == nil || !s.Recurring() {
		if old != nil && old.state == "active" {
			return t.endSeries(old, "the series was deleted")
		}
		return nil
	}
	writable, organizerCopy := pickCopy(s, copies)
	d := calendars.Detect(s, t.rules[writable.calID])
	id, pairID, err := t.saveSeries(old, s, d, writable.calID, organizerCopy)
	if err != nil {
		return err
	}
	if err := t.recordPairChange(old, id, pairID, d); err != nil {
		return err
	}
	if !d.OneOnOne || !pairID.Valid {
		return nil
	}
	return t.reconcileOccurrences(id, pairID.Int64, s, d, old == nil || !old.oneOnOne)
}

func (t *txn) copies(uid string) ([]copyOf, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT o.calendar_id, c.owner, o.href, o.data FROM calendar_objects o
		JOIN calendars c ON c.id = o.calendar_id WHERE o.uid = ? ORDER BY o.calendar_id, o.href`, uid)
	if err != nil {
		return nil, fmt.Errorf("load copies: %w", err)
	}
	defer rows.Close()
	var out []copyOf
	for rows.Next() {
		var c copyOf
		if err := rows.Scan(&c.calID, &c.owner, &c.href, &c.data); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// read combines all copies of a UID: the components of every copy are
// read as one calendar, so the newest SEQUENCE of each part wins.
func (t *txn) read(uid string, copies []copyOf) *calendars.Series {
	files := make([]calendars.File, len(copies))
	for i, c := range copies {
		files[i] = calendars.File{Name: c.href, Data: c.data}
	}
	series, probs := calendars.ReadICS(files, calendars.ReadOptions{DefaultZone: t.e.DefaultZone})
	for _, p := range probs {
		level := slog.LevelDebug // most are the sloppiness of real producers
		if p.Limit {
			level = slog.LevelWarn // input built to cost: say what was cut
		}
		t.e.logger().Log(t.ctx, level, "calendar data problem", "uid", uid, "problem", p.String())
	}
	for _, s := range series {
		if s.UID == uid {
			return s
		}
	}
	return nil
}

// pickCopy prefers the organizer's own calendar: that is the copy an
// agenda can be written to.
func pickCopy(s *calendars.Series, copies []copyOf) (copyOf, bool) {
	for _, c := range copies {
		if c.owner != "" && c.owner == s.Organizer.Email {
			return c, true
		}
	}
	return copies[0], false
}

func (t *txn) loadSeries(uid string) (*stored, error) {
	var s stored
	err := t.tx.QueryRowContext(t.ctx, `SELECT id, pair_id, one_on_one, state FROM series WHERE uid = ?`, uid).
		Scan(&s.id, &s.pairID, &s.oneOnOne, &s.state)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load series: %w", err)
	}
	return &s, nil
}

func (t *txn) saveSeries(old *stored, s *calendars.Series, d calendars.Decision, calID int64, orgCopy bool) (int64, sql.NullInt64, error) {
	var pairID sql.NullInt64
	if d.OneOnOne {
		id, err := t.pair(d.People[0].Email, d.People[1].Email)
		if err != nil {
			return 0, pairID, err
		}
		pairID = sql.NullInt64{Int64: id, Valid: true}
	} else if old != nil {
		pairID = old.pairID // history stays with the pair it happened to
	}
	people := d.People
	if len(people) > maxStoredPeople {
		people = people[:maxStoredPeople] // a big meeting: its why says how many
	}
	var emails []string
	for _, p := range people {
		emails = append(emails, p.Email)
	}
	named, err := peopleJSON(people)
	if err != nil {
		return 0, pairID, err
	}
	now := t.now.Format(time.RFC3339)
	args := []any{calID, orgCopy, pairID, s.Summary, s.TimeZone, s.Organizer.Email, strings.Join(emails, ","), named, d.OneOnOne, d.Why, t.to.Format(time.RFC3339), now}
	if old == nil {
		res, err := t.tx.ExecContext(t.ctx, `INSERT INTO series (calendar_id, organizer_copy, pair_id, summary, timezone, organizer, participants, people,
			one_on_one, why, expanded_to, updated_at, uid, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, s.UID, now)...)
		if err != nil {
			return 0, pairID, fmt.Errorf("insert series: %w", err)
		}
		id, err := res.LastInsertId()
		t.created[id] = true
		return id, pairID, err
	}
	_, err = t.tx.ExecContext(t.ctx, `UPDATE series SET calendar_id = ?, organizer_copy = ?, pair_id = ?, summary = ?, timezone = ?, organizer = ?,
		participants = ?, people = ?, one_on_one = ?, why = ?, expanded_to = ?, updated_at = ?, state = 'active' WHERE id = ?`, append(args, old.id)...)
	if err != nil {
		return 0, pairID, fmt.Errorf("update series: %w", err)
	}
	return old.id, pairID, nil
}

// peopleJSON keeps the counted people's names for mails and pages.
func peopleJSON(ps []calendars.Person) (string, error) {
	type person struct {
		Email string `json:"email"`
		Name  string `json:"name,omitempty"`
	}
	out := make([]person, 0, len(ps))
	for _, p := range ps {
		out = append(out, person{p.Email, p.Name})
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func (t *txn) pair(a, b string) (int64, error) {
	if b < a {
		a, b = b, a
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO pairs (a, b) VALUES (?, ?) ON CONFLICT (a, b) DO NOTHING`, a, b); err != nil {
		return 0, fmt.Errorf("pair: %w", err)
	}
	var id int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT id FROM pairs WHERE a = ? AND b = ?`, a, b).Scan(&id)
	return id, err
}

// recordPairChange writes "created" when a series first becomes a
// tracked 1:1, and "participant_changed" when a tracked 1:1 gains or
// loses people or changes who the two are.
func (t *txn) recordPairChange(old *stored, id int64, pairID sql.NullInt64, d calendars.Decision) error {
	switch {
	case d.OneOnOne && (old == nil || !old.pairID.Valid):
		return t.history(pairID.Int64, id, "", "created", nil, nil, d.Why, nil)
	case d.OneOnOne && !old.oneOnOne:
		return t.history(pairID.Int64, id, "", "participant_changed", nil, nil, "a 1:1 again: "+d.Why, nil)
	case d.OneOnOne && old.pairID.Int64 != pairID.Int64:
		if err := t.history(old.pairID.Int64, id, "", "participant_changed", nil, nil, "now "+d.Why, nil); err != nil {
			return err
		}
		return t.history(pairID.Int64, id, "", "participant_changed", nil, nil, "now "+d.Why, nil)
	case !d.OneOnOne && old != nil && old.oneOnOne && old.pairID.Valid:
		return t.history(old.pairID.Int64, id, "", "participant_changed", nil, nil, "no longer a 1:1: "+d.Why, nil)
	}
	return nil
}

func (t *txn) history(pairID, seriesID int64, key, kind string, from, to *string, detail string, notice *float64) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO history (pair_id, series_id, recurrence_id, kind, from_time, to_time, detail, observed_at, notice_hours)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, pairID, seriesID, key, kind, from, to, detail, t.now.Format(time.RFC3339), notice)
	if err != nil {
		return fmt.Errorf("history %s: %w", kind, err)
	}
	t.events++
	return nil
}
