package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/mailer"
)

// Around sends the mails around a meeting: the follow-up after it ("did
// it happen?") and the nudge when a pair's meetings keep not happening.
// Run Tick periodically; each tick does what is due and is safe to repeat.
type Around struct {
	DB       *sql.DB
	Meetings Meetings
	Records  Records
	Outbox   Outbox
	Links    *Links
	Settings Settings
	// FollowUpAfter is how long after a meeting's end the follow-up goes
	// out; 0 sends none.
	FollowUpAfter time.Duration
	// CancelledInARow is the streak that nudges a pair; 0 sends none.
	CancelledInARow int
	Notify          func() // wakes the outbox worker; optional
}

// AroundSent counts the mails a tick enqueued.
type AroundSent struct {
	FollowUps int
	Nudges    int
}

// Tick enqueues the follow-ups and nudges due at now. A failure with one
// person is reported and does not stop the others.
func (a *Around) Tick(ctx context.Context, now time.Time) (AroundSent, error) {
	var sent AroundSent
	if a.Links == nil {
		return sent, errNoLinks
	}
	var errs []error
	n, err := a.followUps(ctx, now)
	sent.FollowUps, errs = n, append(errs, err)
	n, err = a.nudges(ctx, now)
	sent.Nudges, errs = n, append(errs, err)
	if sent.FollowUps+sent.Nudges > 0 && a.Notify != nil {
		a.Notify()
	}
	return sent, errors.Join(errs...)
}

// followUps asks each person of every meeting whose follow-up fell due in
// the last day, once.
func (a *Around) followUps(ctx context.Context, now time.Time) (int, error) {
	after := a.FollowUpAfter
	if after <= 0 {
		return 0, nil
	}
	// Meetings start before they end: two more days cover any 1:1.
	ms, err := a.Meetings.Upcoming(ctx, now.Add(-after-followUpLookback-48*time.Hour), now)
	if err != nil {
		return 0, fmt.Errorf("prep: meetings to follow up: %w", err)
	}
	n := 0
	var errs []error
	for _, m := range ms {
		due := m.End.Add(after)
		if m.Cancelled() || due.After(now) || now.Sub(due) > followUpLookback {
			continue
		}
		made, err := bothOf(m.People, func(you, other Person) (bool, error) { return a.followUp(ctx, now, m, you, other) })
		n += made
		errs = append(errs, err)
	}
	return n, errors.Join(errs...)
}

// bothOf calls mail for each of the two people who has an address, with
// the other one; it counts the mails made and joins the errors, so that
// one failure does not keep the other person's mail back.
func bothOf(people [2]Person, mail func(you, other Person) (bool, error)) (int, error) {
	n := 0
	var errs []error
	for i, p := range people {
		if p.Email == "" {
			continue
		}
		created, err := mail(p, people[1-i])
		if created {
			n++
		}
		errs = append(errs, err)
	}
	return n, errors.Join(errs...)
}

// followUp makes p's follow-up row and mail for m in one transaction.
func (a *Around) followUp(ctx context.Context, now time.Time, m Meeting, you, other Person) (bool, error) {
	f := followRow{Kind: kindFollowUp, SeriesUID: m.SeriesUID, RecurrenceID: m.RecurrenceID,
		Email: normEmail(you.Email), Name: you.Name, Created: now, Expires: m.End.Add(followUpValid)}
	return a.send(ctx, now, f, m.People, func(token, pairURL string) (mailer.Message, error) {
		return a.Settings.followUpMail(m, you, other, token, pairURL)
	})
}

// send makes f and its mail in one transaction, once: nothing for a
// person who paused the series or who already has f's row. The mail
// links the person's pair page for people.
func (a *Around) send(ctx context.Context, now time.Time, f followRow, people [2]Person,
	mail func(token, pairURL string) (mailer.Message, error)) (bool, error) {
	tx, err := a.DB.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("prep: %s: %w", f.Kind, err)
	}
	defer tx.Rollback()
	if off, err := paused(ctx, inTx(tx), f.SeriesUID, f.Email); err != nil || off {
		return false, err
	}
	if done, err := followExists(ctx, inTx(tx), f.Kind, f.SeriesUID, f.RecurrenceID, f.Email); err != nil || done {
		return false, err
	}
	pairURL, err := a.pairURL(ctx, tx, f.Email, people, now)
	if err != nil {
		return false, err
	}
	created, err := a.store(ctx, tx, &f)
	if err != nil {
		return false, err
	}
	if !created {
		return false, commitSkipped(tx, f)
	}
	msg, err := mail(placeholder(f.Seed), pairURL)
	if err != nil {
		return false, err
	}
	if err := a.enqueue(ctx, tx, msg); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("prep: commit %s: %w", msg.DedupKey, err)
	}
	return true, nil
}

// store gives f a token seed and inserts it; created is false when
// another instance made f's row (and its mail) first.
func (a *Around) store(ctx context.Context, tx *sql.Tx, f *followRow) (bool, error) {
	seed, err := newSeed()
	if err != nil {
		return false, err
	}
	f.Seed = seed
	return insertFollow(ctx, tx, f, HashToken(a.Links.token(f.Email, seed)))
}

// commitSkipped ends the transaction of f when its row was made by
// another instance: what tx did before (the pair link) stays, since it
// is right either way.
func commitSkipped(tx *sql.Tx, f followRow) error {
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("prep: commit %s of %s %s %s: %w", f.Kind, f.SeriesUID, f.RecurrenceID, f.Email, err)
	}
	return nil
}

func (a *Around) enqueue(ctx context.Context, tx *sql.Tx, msg mailer.Message) error {
	if _, _, err := a.Outbox.Enqueue(ctx, tx, msg); err != nil {
		return fmt.Errorf("prep: enqueue %s: %w", msg.DedupKey, err)
	}
	return nil
}

// pairURL is the link to email's own page for the pair, made in tx when
// it does not exist yet; "" when Settings.Links is not set. Its token is
// a placeholder until the mail is sent, as in the prep mails.
func (a *Around) pairURL(ctx context.Context, tx *sql.Tx, email string, pair [2]Person, now time.Time) (string, error) {
	tok, err := PairToken(ctx, tx, a.Settings.Links, Meeting{People: pair}, email, now)
	if err != nil || tok == "" {
		return "", err
	}
	return a.Settings.PublicURL + "/pair/" + tok, nil
}
