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
	"github.com/oneonone/oneonone/sync/store"
)

// Outcomes records what the people of a past meeting said about it in the
// pair's history (prep.Outcomes).
type Outcomes struct {
	DB *sql.DB
}

// reported is the occurrence a report is about.
type reported = store.Reported

// reportTx is what recording a report needs of the store, in one
// transaction.
type reportTx interface {
	Reported(seriesUID, key string) (store.Reported, error)
	WithdrawReports(seriesID int64, key, email string) error
	HeldEvent(seriesID int64, key string) (int64, string, error)
	SetConfirmedBy(id int64, by string) error
	AddReport(r store.Reported, kind, detail, email string, at time.Time) error
	ReportCounts(seriesID int64, key string) (confirmed, denied int, err error)
	SetState(seriesID int64, key, state string, now time.Time) error
	Commit() error
	Rollback()
}

// Report implements prep.Outcomes. A person's latest answer replaces
// their earlier one: "held" adds them to the held event's confirmed_by
// (creating that event when the calendar had not yet shown the meeting
// as held), "not_held" is an event of its own and marks the occurrence
// not held unless someone confirmed it, "moved" is a moved event without
// a new time.
func (o Outcomes) Report(ctx context.Context, seriesUID, recurrenceID, email, outcome string, at time.Time) error {
	email = strings.ToLower(strings.TrimSpace(email))
	tx, err := o.begin(ctx)
	if err != nil {
		return fmt.Errorf("sync: report %s: %w", outcome, err)
	}
	defer tx.Rollback()
	r, err := tx.Reported(seriesUID, recurrenceID)
	if errors.Is(err, store.ErrNotFound) {
		return calendars.ErrNoMeeting
	}
	if err != nil {
		return err
	}
	if err := withdraw(tx, r, email); err != nil {
		return err
	}
	switch outcome {
	case calendars.OutcomeHeld:
		err = confirmHeld(tx, r, email, at)
	case calendars.OutcomeNotHeld:
		err = tx.AddReport(r, "not_held", "said it did not happen", email, at)
	case calendars.OutcomeMoved:
		err = tx.AddReport(r, "moved", "said it was moved to another time", email, at)
	default:
		err = fmt.Errorf("unknown outcome %q", outcome)
	}
	if err == nil {
		err = settleState(tx, r, at)
	}
	if err != nil {
		return fmt.Errorf("sync: report %s of %s %s: %w", outcome, seriesUID, recurrenceID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sync: report %s: %w", outcome, err)
	}
	return nil
}

func (o Outcomes) begin(ctx context.Context) (reportTx, error) { return store.New(o.DB).Begin(ctx) }

// withdraw removes what email said about r before.
func withdraw(tx reportTx, r reported, email string) error {
	if err := tx.WithdrawReports(r.SeriesID, r.Key, email); err != nil {
		return err
	}
	held, by, err := tx.HeldEvent(r.SeriesID, r.Key)
	if err != nil || held == 0 {
		return err
	}
	left := slices.DeleteFunc(splitList(by), func(s string) bool { return s == email })
	return tx.SetConfirmedBy(held, strings.Join(left, ","))
}

func confirmHeld(tx reportTx, r reported, email string, at time.Time) error {
	id, by, err := tx.HeldEvent(r.SeriesID, r.Key)
	if err != nil {
		return err
	}
	if id == 0 {
		return tx.AddReport(r, "held", "", email, at)
	}
	list := splitList(by)
	if !slices.Contains(list, email) {
		list = append(list, email)
	}
	slices.Sort(list)
	return tx.SetConfirmedBy(id, strings.Join(list, ","))
}

// settleState makes the occurrence's state follow the reports: held when
// someone confirmed it, not held when someone said so and nobody
// confirmed it. Cancelled and declined occurrences keep their state.
func settleState(tx reportTx, r reported, at time.Time) error {
	if r.State != "scheduled" && r.State != "moved" && r.State != "held" && r.State != "not_held" {
		return nil
	}
	confirmed, denied, err := tx.ReportCounts(r.SeriesID, r.Key)
	if err != nil {
		return err
	}
	state := r.State
	switch {
	case confirmed > 0:
		state = "held"
	case denied > 0:
		state = "not_held"
	case r.State == "not_held":
		state = "held" // the one who said so changed their mind to "moved"
	}
	if state == r.State {
		return nil
	}
	if state == "held" {
		if err := ensureHeld(tx, r, at); err != nil {
			return err
		}
	}
	return tx.SetState(r.SeriesID, r.Key, state, at)
}

// ensureHeld adds the held event an occurrence turning held needs, as the
// sync's markHeld would have.
func ensureHeld(tx reportTx, r reported, at time.Time) error {
	id, _, err := tx.HeldEvent(r.SeriesID, r.Key)
	if err != nil || id != 0 {
		return err
	}
	return tx.AddReport(r, "held", "", "", at)
}
