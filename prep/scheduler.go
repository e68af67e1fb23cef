package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Scheduler sends the prep invites and reminders of upcoming meetings.
// Run Tick periodically (every minute or so); each tick does what is due
// and is safe to repeat.
type Scheduler struct {
	DB       *sql.DB
	Meetings Meetings
	Outbox   Outbox
	Links    *Links
	Settings Settings
	// Notify, when set, is called after a tick enqueued mail, to wake the
	// outbox worker (mailer.Worker.Notify).
	Notify func()
}

// Sent counts the mails a tick enqueued, for logs and metrics.
type Sent struct {
	Invites   int
	Reminders int
}

// Tick handles the meetings starting in (now, now+SendBefore]: for the
// next one of each series that will take place, every person who has not
// paused gets one request with its invite, and whoever has not answered
// gets one reminder once the meeting is RemindBefore away. Only the next:
// a series anyone can put into a calendar must not choose how much mail
// goes out, and the following meeting is invited once this one started.
// The reminder time follows the meeting's current start, so a moved
// meeting re-times it. A failure with one person is reported and does not
// stop the others.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) (Sent, error) {
	var sent Sent
	if s.Links == nil {
		return sent, errNoLinks
	}
	// Upcoming's end is exclusive and the sync store keeps whole seconds:
	// one second more makes a meeting exactly SendBefore away due now.
	due := now.Add(s.Settings.sendBefore() + time.Second)
	// One read serves the digests too, which look a day further.
	ms, err := s.Meetings.Upcoming(ctx, now, s.lookAhead(due))
	if err != nil {
		return sent, fmt.Errorf("prep: upcoming meetings: %w", err)
	}
	next := nextPerSeries(ms, now)
	var errs []error
	digests, err := s.digests(ctx, now, due, next) // before the loop: it leaves the meetings it invited alone
	sent.Invites += digests
	errs = append(errs, err)
	for _, m := range next {
		if !m.Start.Before(due) {
			continue // not due yet: only the digests look that far
		}
		set := s.Settings.questionSet(m)
		for _, p := range m.People {
			if p.Email == "" {
				continue
			}
			d, err := s.person(ctx, now, m, set, p)
			sent.Invites += d.Invites
			sent.Reminders += d.Reminders
			errs = append(errs, err)
		}
	}
	if sent.Invites+sent.Reminders > 0 && s.Notify != nil {
		s.Notify()
	}
	return sent, errors.Join(errs...)
}

// nextPerSeries keeps, of meetings sorted by start, the first of each
// series that will take place after now.
func nextPerSeries(ms []Meeting, now time.Time) []Meeting {
	seen := map[string]bool{}
	var next []Meeting
	for _, m := range ms {
		if m.Cancelled() || !m.Start.After(now) || seen[m.SeriesUID] {
			continue
		}
		seen[m.SeriesUID] = true
		next = append(next, m)
	}
	return next
}

// person makes p's request and invite, or sends p's reminder, in one
// transaction: a request exists exactly when its invite is in the outbox.
func (s *Scheduler) person(ctx context.Context, now time.Time, m Meeting, set QuestionSet, p Person) (Sent, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return Sent{}, fmt.Errorf("prep: begin: %w", err)
	}
	defer tx.Rollback()
	if off, err := paused(ctx, inTx(tx), m.SeriesUID, p.Email); err != nil || off {
		return Sent{}, err
	}
	r, found, err := requestFor(ctx, inTx(tx), m.SeriesUID, m.RecurrenceID, p.Email)
	if err != nil {
		return Sent{}, err
	}
	var sent Sent
	if !found {
		sent.Invites, err = s.invite(ctx, tx, now, m, set, p)
	} else {
		sent.Reminders, err = s.remind(ctx, tx, now, m, r)
	}
	if err != nil {
		return Sent{}, err
	}
	if err := tx.Commit(); err != nil {
		return Sent{}, fmt.Errorf("prep: commit %s: %w", DedupKey(m.SeriesUID, m.RecurrenceID, p.Email, ""), err)
	}
	return sent, nil
}

// invite creates p's request for m and enqueues its invite; it returns
// how many invites it enqueued (0 when p is asked no question).
func (s *Scheduler) invite(ctx context.Context, tx *sql.Tx, now time.Time, m Meeting, set QuestionSet, p Person) (int, error) {
	role := roleOf(m, p.Email)
	qs := Ask(set, role, m.Number)
	if len(qs) == 0 {
		return 0, nil
	}
	seed, err := newSeed()
	if err != nil {
		return 0, err
	}
	r := request{
		SeriesUID: m.SeriesUID, RecurrenceID: m.RecurrenceID, Email: normEmail(p.Email), Name: p.Name,
		Role: role, Questions: qs, Seed: seed, Created: now, Expires: s.Settings.expiry(m),
	}
	if created, err := insertRequest(ctx, tx, &r, HashToken(s.Links.token(r.Email, seed))); err != nil || !created {
		return 0, err
	}
	if _, err := s.Settings.enqueue(ctx, tx, s.Outbox, kindInvite, m, r, ""); err != nil {
		return 0, err
	}
	return 1, setRequestTime(ctx, tx, r.ID, "sent_at", now)
}

// remind keeps r's expiry in step with m and enqueues the reminder when
// it is due: RemindBefore before the current start, to a person who has
// not answered and was not reminded, and whose invite did not itself go
// out within that window (two mails at once help no one).
func (s *Scheduler) remind(ctx context.Context, tx *sql.Tx, now time.Time, m Meeting, r request) (int, error) {
	if exp := s.Settings.expiry(m); !exp.Equal(r.Expires) {
		if err := setRequestTime(ctx, tx, r.ID, "expires_at", exp); err != nil {
			return 0, err
		}
	}
	before := s.Settings.RemindBefore
	at := m.Start.Add(-before)
	if before <= 0 || !r.Reminded.IsZero() || !r.Answered.IsZero() || now.Before(at) || !r.Created.Before(at) {
		return 0, nil
	}
	created, err := s.Settings.enqueue(ctx, tx, s.Outbox, kindRemind, m, r, "")
	if err != nil {
		return 0, err
	}
	if err := setRequestTime(ctx, tx, r.ID, "reminded_at", now); err != nil {
		return 0, err
	}
	if !created {
		return 0, nil
	}
	return 1, nil
}
