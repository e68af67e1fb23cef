package sync

import (
	"database/sql"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync/store"
)

// maxStoredPeople bounds the people stored for a series that is not a
// 1:1 (a 1:1 has two): an invitation to hundreds costs a short row.
const maxStoredPeople = 10

// stored is a series row; copyOf is one calendar's copy of a series.
type (
	stored = store.Series
	copyOf = store.Copy
)

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
		if old != nil && old.State == "active" {
			return t.endSeries(old, "the series was deleted")
		}
		return nil
	}
	writable, organizerCopy := pickCopy(s, copies)
	d := calendars.Detect(s, t.rules[writable.CalID])
	id, pairID, err := t.saveSeries(old, s, d, writable.CalID, organizerCopy)
	if err != nil {
		return err
	}
	if err := t.recordPairChange(old, id, pairID, d); err != nil {
		return err
	}
	if !d.OneOnOne || !pairID.Valid {
		return nil
	}
	return t.reconcileOccurrences(id, pairID.Int64, s, d, old == nil || !old.OneOnOne)
}

func (t *txn) copies(uid string) ([]copyOf, error) {
	return t.tx.Copies(uid)
}

// read combines all copies of a UID: the components of every copy are
// read as one calendar, so the newest SEQUENCE of each part wins.
func (t *txn) read(uid string, copies []copyOf) *calendars.Series {
	files := make([]calendars.File, len(copies))
	for i, c := range copies {
		files[i] = calendars.File{Name: c.Href, Data: c.Data}
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
		if c.Owner != "" && c.Owner == s.Organizer.Email {
			return c, true
		}
	}
	return copies[0], false
}

func (t *txn) loadSeries(uid string) (*stored, error) {
	return t.tx.LoadSeries(uid)
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
		pairID = old.PairID // history stays with the pair it happened to
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
	data := store.SeriesData{UID: s.UID, CalID: calID, OrganizerCopy: orgCopy, PairID: pairID, Summary: s.Summary, TimeZone: s.TimeZone,
		Organizer: s.Organizer.Email, Participants: strings.Join(emails, ","), People: named, OneOnOne: d.OneOnOne, Why: d.Why,
		ExpandedTo: t.to, Now: t.now}
	if old == nil {
		id, err := t.tx.InsertSeries(data)
		t.created[id] = true
		return id, pairID, err
	}
	return old.ID, pairID, t.tx.UpdateSeries(old.ID, data)
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
	return t.tx.Pair(a, b)
}

// recordPairChange writes "created" when a series first becomes a
// tracked 1:1, and "participant_changed" when a tracked 1:1 gains or
// loses people or changes who the two are.
func (t *txn) recordPairChange(old *stored, id int64, pairID sql.NullInt64, d calendars.Decision) error {
	switch {
	case d.OneOnOne && (old == nil || !old.PairID.Valid):
		return t.history(pairID.Int64, id, "", "created", nil, nil, d.Why, nil)
	case d.OneOnOne && !old.OneOnOne:
		return t.history(pairID.Int64, id, "", "participant_changed", nil, nil, "a 1:1 again: "+d.Why, nil)
	case d.OneOnOne && old.PairID.Int64 != pairID.Int64:
		if err := t.history(old.PairID.Int64, id, "", "participant_changed", nil, nil, "now "+d.Why, nil); err != nil {
			return err
		}
		return t.history(pairID.Int64, id, "", "participant_changed", nil, nil, "now "+d.Why, nil)
	case !d.OneOnOne && old != nil && old.OneOnOne && old.PairID.Valid:
		return t.history(old.PairID.Int64, id, "", "participant_changed", nil, nil, "no longer a 1:1: "+d.Why, nil)
	}
	return nil
}

func (t *txn) history(pairID, seriesID int64, key, kind string, from, to *string, detail string, notice *float64) error {
	err := t.tx.AddHistory(store.Event{PairID: pairID, SeriesID: seriesID, Key: key, Kind: kind, From: from, To: to,
		Detail: detail, ObservedAt: t.now, NoticeHours: notice})
	if err != nil {
		return err
	}
	t.events++
	return nil
}
