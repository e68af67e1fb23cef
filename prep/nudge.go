package prep

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/mailer"
)

// Records is what nudges need from the pairs' history (the sync engine
// owns it).
type Records interface {
	// Streaks returns the pairs whose latest min or more occurrences in a
	// row were cancelled, declined or not held.
	Streaks(ctx context.Context, min int) ([]PairStreak, error)
}

// PairStreak is a pair's recent record, for a nudge.
type PairStreak = calendars.PairStreak

// nudgeValid is how long the pause link of a nudge works.
const nudgeValid = 30 * 24 * time.Hour

// nudges mails both people of each pair on a streak, once per streak.
func (a *Around) nudges(ctx context.Context, now time.Time) (int, error) {
	if a.CancelledInARow <= 0 || a.Records == nil {
		return 0, nil
	}
	recs, err := a.Records.Streaks(ctx, a.CancelledInARow)
	if err != nil {
		return 0, fmt.Errorf("prep: pairs to nudge: %w", err)
	}
	n := 0
	var errs []error
	for _, r := range recs {
		made, err := bothOf(r.People, func(you, other Person) (bool, error) { return a.nudge(ctx, now, r, you, other) })
		n += made
		errs = append(errs, err)
	}
	return n, errors.Join(errs...)
}

// nudge makes p's nudge row and mail for the streak of r in one
// transaction, unless p paused the pair's series.
func (a *Around) nudge(ctx context.Context, now time.Time, r PairStreak, you, other Person) (bool, error) {
	f := followRow{Kind: kindNudge, SeriesUID: r.SeriesUID, RecurrenceID: r.StreakStart,
		Email: normEmail(you.Email), Name: you.Name, Created: now, Expires: now.Add(nudgeValid)}
	return a.send(ctx, now, f, r.People, func(token, pairURL string) (mailer.Message, error) {
		return a.Settings.nudgeMail(r, you, other, token, pairURL)
	})
}
