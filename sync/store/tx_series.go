package store

import (
	"database/sql"
	"fmt"
	"time"
)

// Copy is one calendar's copy of a series.
type Copy struct {
	CalID int64
	Owner string
	Href  string
	Data  []byte
}

// Copies returns every stored copy of a UID, by calendar and href.
func (t *Tx) Copies(uid string) ([]Copy, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT o.calendar_id, c.owner, o.href, o.data FROM calendar_objects o
		JOIN calendars c ON c.id = o.calendar_id WHERE o.uid = ? ORDER BY o.calendar_id, o.href`, uid)
	if err != nil {
		return nil, fmt.Errorf("load copies: %w", err)
	}
	defer rows.Close()
	var out []Copy
	for rows.Next() {
		var c Copy
		if err := rows.Scan(&c.CalID, &c.Owner, &c.Href, &c.Data); err != nil {
			return nil, fmt.Errorf("load copies: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Series is a stored series as the reconcile step sees it.
type Series struct {
	ID       int64
	PairID   sql.NullInt64
	OneOnOne bool
	State    string
}

// LoadSeries returns the series of uid, or nil when none is stored.
func (t *Tx) LoadSeries(uid string) (*Series, error) {
	var s Series
	err := t.tx.QueryRowContext(t.ctx, `SELECT id, pair_id, one_on_one, state FROM series WHERE uid = ?`, uid).
		Scan(&s.ID, &s.PairID, &s.OneOnOne, &s.State)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load series: %w", err)
	}
	return &s, nil
}

// SeriesData is what a sync writes of a series.
type SeriesData struct {
	UID           string
	CalID         int64
	OrganizerCopy bool
	PairID        sql.NullInt64
	Summary       string
	TimeZone      string
	Organizer     string
	Participants  string // comma-separated
	People        string // JSON [{email, name}]
	OneOnOne      bool
	Why           string
	ExpandedTo    time.Time
	Now           time.Time
}

// InsertSeries stores a series seen for the first time.
func (t *Tx) InsertSeries(d SeriesData) (int64, error) {
	var id int64
	err := t.tx.QueryRowContext(t.ctx, `INSERT INTO series (calendar_id, organizer_copy, pair_id, summary, timezone, organizer, participants, people,
		one_on_one, why, expanded_to, updated_at, uid, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		append(d.args(), d.UID, utc(d.Now))...).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert series: %w", err)
	}
	return id, nil
}

// UpdateSeries rewrites series id, which is active again.
func (t *Tx) UpdateSeries(id int64, d SeriesData) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE series SET calendar_id = ?, organizer_copy = ?, pair_id = ?, summary = ?, timezone = ?, organizer = ?,
		participants = ?, people = ?, one_on_one = ?, why = ?, expanded_to = ?, updated_at = ?, state = 'active' WHERE id = ?`, append(d.args(), id)...)
	if err != nil {
		return fmt.Errorf("update series: %w", err)
	}
	return nil
}

func (d SeriesData) args() []any {
	return []any{d.CalID, d.OrganizerCopy, d.PairID, d.Summary, d.TimeZone, d.Organizer, d.Participants, d.People,
		d.OneOnOne, d.Why, utc(d.ExpandedTo), utc(d.Now)}
}

// EndSeries marks series id ended.
func (t *Tx) EndSeries(id int64, now time.Time) error {
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE series SET state = 'ended', updated_at = ? WHERE id = ?`, utc(now), id); err != nil {
		return fmt.Errorf("end series: %w", err)
	}
	return nil
}

// Pair returns the id of the pair a, b, creating it when new.
func (t *Tx) Pair(a, b string) (int64, error) {
	if b < a {
		a, b = b, a
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO pairs (a, b) VALUES (?, ?) ON CONFLICT (a, b) DO NOTHING`, a, b); err != nil {
		return 0, fmt.Errorf("pair: %w", err)
	}
	var id int64
	if err := t.tx.QueryRowContext(t.ctx, `SELECT id FROM pairs WHERE a = ? AND b = ?`, a, b).Scan(&id); err != nil {
		return 0, fmt.Errorf("pair: %w", err)
	}
	return id, nil
}

// Event is one history event the sync observed.
type Event struct {
	PairID, SeriesID int64
	Key, Kind        string
	From, To         *string
	Detail           string
	ObservedAt       time.Time
	NoticeHours      *float64
}

// AddHistory records an event.
func (t *Tx) AddHistory(e Event) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO history (pair_id, series_id, recurrence_id, kind, from_time, to_time, detail, observed_at, notice_hours)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.PairID, e.SeriesID, e.Key, e.Kind, e.From, e.To, e.Detail, utc(e.ObservedAt), e.NoticeHours)
	if err != nil {
		return fmt.Errorf("history %s: %w", e.Kind, err)
	}
	return nil
}
