package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Outcomes records what the people of a past meeting said about it in the
// pair's history (prep.Outcomes).
type Outcomes struct {
	DB *sql.DB
}

// reported is the occurrence a report is about.
type reported struct {
	seriesID, pairID int64
	key, start       string
	state            string
}

// Report implements prep.Outcomes. A person's latest answer replaces
// their earlier one: "held" adds them to the held event's confirmed_by
// (creating that event when the calendar had not yet shown the meeting
// as held), "not_held" is an event of its own and marks the occurrence
// not held unless someone confirmed it, "moved" is a moved event without
// a new time.
func (o Outcomes) Report(ctx context.Context, seriesUID, recurrenceID, email, outcome string, at time.Time) error {
	email = strings.ToLower(strings.TrimSpace(email))
	tx, err := o.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sync: report %s: %w", outcome, err)
	}
	defer tx.Rollback()
	r, err := loadReported(ctx, tx, seriesUID, recurrenceID)
	if err != nil {
		return err
	}
	if err := withdraw(ctx, tx, r, email); err != nil {
		return err
	}
	switch outcome {
	case calendars.OutcomeHeld:
		err = confirmHeld(ctx, tx, r, email, at)
	case calendars.OutcomeNotHeld:
		err = insertReport(ctx, tx, r, "not_held", "said it did not happen", email, at)
	case calendars.OutcomeMoved:
		err = insertReport(ctx, tx, r, "moved", "said it was moved to another time", email, at)
	default:
		err = fmt.Errorf("unknown outcome %q", outcome)
	}
	if err == nil {
		err = settleState(ctx, tx, r, at)
	}
	if err != nil {
		return fmt.Errorf("sync: report %s of %s %s: %w", outcome, seriesUID, recurrenceID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sync: report %s: commit: %w", outcome, err)
	}
	return nil
}

func loadReported(ctx context.Context, tx *sql.Tx, seriesUID, key string) (reported, error) {
	var r reported
	var pairID sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT s.id, s.pair_id, o.recurrence_id, o.start, o.state
		FROM occurrences o JOIN series s ON s.id = o.series_id WHERE s.uid = ? AND o.recurrence_id = ?`,
		seriesUID, key).Scan(&r.seriesID, &pairID, &r.key, &r.start, &r.state)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !pairID.Valid) {
		return r, calendars.ErrNoMeeting
	}
	if err != nil {
		return r, fmt.Errorf("sync: report on %s %s: %w", seriesUID, key, err)
	}
	r.pairID = pairID.Int64
	return r, nil
}

// withdraw removes what email said about r before.
func withdraw(ctx context.Context, tx *sql.Tx, r reported, email string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM history WHERE series_id = ? AND recurrence_id = ?
		AND kind IN ('not_held', 'moved') AND confirmed_by = ?`, r.seriesID, r.key, email)
	if err != nil {
		return fmt.Errorf("withdraw earlier report: %w", err)
	}
	held, by, err := heldEvent(ctx, tx, r)
	if err != nil || held == 0 {
		return err
	}
	left := slices.DeleteFunc(splitList(by), func(s string) bool { return s == email })
	_, err = tx.ExecContext(ctx, `UPDATE history SET confirmed_by = ? WHERE id = ?`, strings.Join(left, ","), held)
	return err
}

// heldEvent is the id and confirmed_by of r's held event; id 0 when none.
func heldEvent(ctx context.Context, tx *sql.Tx, r reported) (int64, string, error) {
	var id int64
	var by string
	err := tx.QueryRowContext(ctx, `SELECT id, confirmed_by FROM history WHERE series_id = ? AND recurrence_id = ? AND kind = 'held'
		ORDER BY id LIMIT 1`, r.seriesID, r.key).Scan(&id, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("held event: %w", err)
	}
	return id, by, nil
}

func confirmHeld(ctx context.Context, tx *sql.Tx, r reported, email string, at time.Time) error {
	id, by, err := heldEvent(ctx, tx, r)
	if err != nil {
		return err
	}
	if id == 0 {
		return insertReport(ctx, tx, r, "held", "", email, at)
	}
	list := splitList(by)
	if !slices.Contains(list, email) {
		list = append(list, email)
	}
	slices.Sort(list)
	_, err = tx.ExecContext(ctx, `UPDATE history SET confirmed_by = ? WHERE id = ?`, strings.Join(list, ","), id)
	return err
}

func insertReport(ctx context.Context, tx *sql.Tx, r reported, kind, detail, email string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO history (pair_id, series_id, recurrence_id, kind, from_time, detail, observed_at, confirmed_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.pairID, r.seriesID, r.key, kind, r.start, detail, at.UTC().Format(time.RFC3339), email)
	if err != nil {
		return fmt.Errorf("history %s: %w", kind, err)
	}
	return nil
}

// settleState makes the occurrence's state follow the reports: held when
// someone confirmed it, not held when someone said so and nobody
// confirmed it. Cancelled and declined occurrences keep their state.
func settleState(ctx context.Context, tx *sql.Tx, r reported, at time.Time) error {
	if r.state != "scheduled" && r.state != "moved" && r.state != "held" && r.state != "not_held" {
		return nil
	}
	var confirmed, denied int
	err := tx.QueryRowContext(ctx, `SELECT
		count(CASE WHEN kind = 'held' AND confirmed_by <> '' THEN 1 END),
		count(CASE WHEN kind = 'not_held' THEN 1 END)
		FROM history WHERE series_id = ? AND recurrence_id = ?`, r.seriesID, r.key).Scan(&confirmed, &denied)
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	state := r.state
	switch {
	case confirmed > 0:
		state = "held"
	case denied > 0:
		state = "not_held"
	case r.state == "not_held":
		state = "held" // the one who said so changed their mind to "moved"
	}
	if state == r.state {
		return nil
	}
	if state == "held" {
		if err := ensureHeld(ctx, tx, r, at); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE occurrences SET state = ?, updated_at = ? WHERE series_id = ? AND recurrence_id = ?`,
		state, at.UTC().Format(time.RFC3339), r.seriesID, r.key)
	return err
}

// ensureHeld adds the held event an occurrence turning held needs, as the
// sync's markHeld would have.
func ensureHeld(ctx context.Context, tx *sql.Tx, r reported, at time.Time) error {
	id, _, err := heldEvent(ctx, tx, r)
	if err != nil || id != 0 {
		return err
	}
	return insertReport(ctx, tx, r, "held", "", "", at)
}
