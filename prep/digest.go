package prep

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/compose"
)

// A digest gathers a person's invites of one day into one mail. When the
// first invite of a day is due and the person has at least DigestMin 1:1s
// that day still without an invite, all of them get their requests at
// once and one mail lists them; Tick's loop then finds the requests made
// and leaves those meetings to the reminder. Everyone else, the other
// person of each of those 1:1s included, gets invites as before.

// dayKey is one person's day.
type dayKey struct {
	Email string
	Day   string // 2006-01-02 in the person's zone
}

// personDay is the meetings of one person's day and the zone of it.
type personDay struct {
	zone     *time.Location
	meetings []Meeting
}

// lookAhead is how far the meetings a tick reads reach: to due, or with
// digests a day further, since a day that starts to be due now ends
// within a day (25 hours at a clock change) after due.
func (s *Scheduler) lookAhead(due time.Time) time.Time {
	if s.Settings.DigestMin <= 0 {
		return due
	}
	return due.Add(26 * time.Hour)
}

// digests sends the digests due at now and returns how many it enqueued.
// next is each series' next meeting (as for single invites: a series
// with many occurrences a day, which anyone can invite to, must not fill
// a digest, nor send one a day), sorted by start, up to lookAhead(due).
func (s *Scheduler) digests(ctx context.Context, now, due time.Time, next []Meeting) (int, error) {
	if s.Settings.DigestMin <= 0 {
		return 0, nil
	}
	days, order := s.byPersonDay(next, now)
	sent := 0
	var errs []error
	for _, k := range order {
		d := days[k]
		if len(d.meetings) < s.Settings.DigestMin || !d.meetings[0].Start.Before(due) {
			continue
		}
		n, err := s.digest(ctx, now, k, d)
		sent += n
		errs = append(errs, err)
	}
	return sent, errors.Join(errs...)
}

// byPersonDay groups the meetings that will take place by person and
// day, the day in the zone of the person's first meeting in ms.
func (s *Scheduler) byPersonDay(ms []Meeting, now time.Time) (map[dayKey]*personDay, []dayKey) {
	zones := map[string]*time.Location{}
	days := map[dayKey]*personDay{}
	var order []dayKey
	for _, m := range ms {
		if m.Cancelled() || !m.Start.After(now) {
			continue
		}
		for _, p := range m.People {
			email := normEmail(p.Email)
			if email == "" {
				continue
			}
			if zones[email] == nil {
				zones[email] = s.Settings.location(m)
			}
			k := dayKey{Email: email, Day: m.Start.In(zones[email]).Format("2006-01-02")}
			if days[k] == nil {
				days[k] = &personDay{zone: zones[email]}
				order = append(order, k)
			}
			days[k].meetings = append(days[k].meetings, m)
		}
	}
	return days, order
}

// digest makes the requests of k's meetings that have none yet and
// enqueues their digest, in one transaction; it does nothing when fewer
// than DigestMin are left to invite (those get their own invites).
func (s *Scheduler) digest(ctx context.Context, now time.Time, k dayKey, d *personDay) (int, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("prep: digest: %w", err)
	}
	defer tx.Rollback()
	var items []compose.DigestMeeting
	var you Person
	var keys []string
	for _, m := range d.meetings {
		item, p, ok, err := s.digestItem(ctx, tx, now, k.Email, m)
		if err != nil {
			return 0, err
		}
		if ok {
			items, you = append(items, item), p
			keys = append(keys, m.SeriesUID+" "+m.RecurrenceID)
		}
	}
	if len(items) < s.Settings.DigestMin {
		return 0, nil // rolled back: no request was made
	}
	msg, err := compose.DigestMail(compose.Digest{From: s.Settings.From, ReplyTo: s.Settings.ReplyTo,
		To: composePerson(you), Location: d.zone, PublicURL: s.Settings.PublicURL, Meetings: items})
	if err != nil {
		return 0, fmt.Errorf("prep: digest to %s: %w", k.Email, err)
	}
	msg.To = []string{mailer.FormatAddress(you.Name, k.Email)}
	msg.DedupKey = digestKey(k, keys)
	if _, _, err := s.Outbox.Enqueue(ctx, tx, msg); err != nil {
		return 0, fmt.Errorf("prep: enqueue %s: %w", msg.DedupKey, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("prep: commit %s: %w", msg.DedupKey, err)
	}
	return 1, nil
}

// digestItem makes email's request for m, as invite does, when email is
// to be invited (asked something, not paused, no request yet); ok is
// false otherwise.
func (s *Scheduler) digestItem(ctx context.Context, tx *sql.Tx, now time.Time, email string, m Meeting) (compose.DigestMeeting, Person, bool, error) {
	var item compose.DigestMeeting
	you, other := people(m, request{Email: email})
	if off, err := paused(ctx, inTx(tx), m.SeriesUID, email); err != nil || off {
		return item, you, false, err
	}
	if _, found, err := requestFor(ctx, inTx(tx), m.SeriesUID, m.RecurrenceID, email); err != nil || found {
		return item, you, false, err
	}
	role := roleOf(m, email)
	qs := Ask(s.Settings.questionSet(m), role, m.Number)
	if len(qs) == 0 {
		return item, you, false, nil
	}
	seed, err := newSeed()
	if err != nil {
		return item, you, false, err
	}
	r := request{SeriesUID: m.SeriesUID, RecurrenceID: m.RecurrenceID, Email: email, Name: you.Name,
		Role: role, Questions: qs, Seed: seed, Created: now, Expires: s.Settings.expiry(m)}
	if created, err := insertRequest(ctx, tx, &r, HashToken(s.Links.token(email, seed))); err != nil || !created {
		return item, you, false, err
	}
	if err := setRequestTime(ctx, tx, r.ID, "sent_at", now); err != nil {
		return item, you, false, err
	}
	pair, err := PairToken(ctx, tx, s.Settings.Links, m, email, now)
	if err != nil {
		return item, you, false, err
	}
	theirs, answered, err := requestFor(ctx, inTx(tx), m.SeriesUID, m.RecurrenceID, other.Email)
	if err != nil {
		return item, you, false, err
	}
	item = compose.DigestMeeting{Other: composePerson(other), Title: m.Summary, Start: m.Start, End: m.End,
		OtherAnswered: answered && !theirs.Answered.IsZero(), Token: placeholder(seed), PairToken: pair}
	return item, you, true, nil
}

// digestKey is the dedup key of a digest: the person, the day, and the
// meetings in it, so a second digest of the same day (1:1s added later)
// is a mail of its own.
func digestKey(k dayKey, meetings []string) string {
	sort.Strings(meetings)
	h := sha256.New()
	for _, m := range meetings {
		h.Write([]byte(m + "\n"))
	}
	return "prep:digest:" + k.Email + ":" + k.Day + ":" + hex.EncodeToString(h.Sum(nil)[:8])
}
