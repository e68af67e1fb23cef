package prep

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/compose"
)

// The kinds of prep mail, the last part of their dedup keys.
const (
	kindInvite = "invite"
	kindRemind = "remind"
	kindAgenda = "agenda-email" // followed by ":1" (the first) or ":2" (the one update)
)

// DedupKey is the outbox dedup key of a prep mail:
// prep:<series>:<recurrence>:<email>:<kind>.
func DedupKey(seriesUID, recurrenceID, email, kind string) string {
	return "prep:" + seriesUID + ":" + recurrenceID + ":" + normEmail(email) + ":" + kind
}

// people returns the person of email in m and the other one. A person the
// meeting no longer lists keeps the name the request was made with.
func people(m Meeting, r request) (you, other Person) {
	switch r.Email {
	case normEmail(m.People[0].Email):
		return m.People[0], m.People[1]
	case normEmail(m.People[1].Email):
		return m.People[1], m.People[0]
	}
	return Person{Email: r.Email, Name: r.Name}, m.People[0]
}

func composePerson(p Person) compose.Person { return compose.Person{Name: p.Name, Email: p.Email} }

// mail renders a prep mail of kind for request r about m, with a
// placeholder where the token goes (see Links). agenda is the body of an
// agenda mail.
func (s Settings) mail(kind string, m Meeting, r request, agenda, pairToken string) (mailer.Message, error) {
	you, other := people(m, r)
	texts := make([]string, len(r.Questions))
	for i, q := range r.Questions {
		texts[i] = q.Text
	}
	p := compose.Prep{
		From: s.From, ReplyTo: s.ReplyTo,
		To: composePerson(you), Other: composePerson(other),
		Title: m.Summary, Start: m.Start, End: m.End, Location: s.location(m),
		PublicURL: s.PublicURL, Token: placeholder(r.Seed), PairToken: pairToken,
		Questions: texts, Agenda: agenda,
	}
	var msg mailer.Message
	var err error
	switch kind {
	case kindInvite:
		msg, err = compose.Invite(p)
	case kindRemind:
		msg, err = compose.Reminder(p)
	default:
		msg, err = compose.Agenda(p)
	}
	if err != nil {
		return msg, fmt.Errorf("prep: %s mail: %w", kind, err)
	}
	msg.To = []string{mailer.FormatAddress(you.Name, r.Email)}
	msg.DedupKey = DedupKey(m.SeriesUID, m.RecurrenceID, r.Email, kind)
	if kind == kindInvite || kind == kindRemind {
		// Held back (rate limit, SMTP down) past the start, a prep mail
		// is worthless: the outbox marks it expired instead of sending it.
		msg.Expires = m.Start
	}
	return msg, nil
}

// Outbox is where prep's mails wait to be sent (mailer/store keeps it).
// Enqueue joins the caller's transaction: a request exists exactly when
// its invite is in the outbox. A message whose dedup key is there already
// is not added again (created is false).
type Outbox interface {
	Enqueue(ctx context.Context, tx *sql.Tx, m mailer.Message) (id int64, created bool, err error)
}

// enqueue renders and enqueues a prep mail inside tx; created is false
// when the outbox already had it.
func (s Settings) enqueue(ctx context.Context, tx *sql.Tx, out Outbox, kind string, m Meeting, r request, agenda string) (bool, error) {
	// The pair link is made with the request's time: the mail's own
	// moment is not passed down here, and the first mail of a pair comes
	// with its first request.
	pair, err := PairToken(ctx, tx, s.Links, m, r.Email, r.Created)
	if err != nil {
		return false, err
	}
	msg, err := s.mail(kind, m, r, agenda, pair)
	if err != nil {
		return false, err
	}
	_, created, err := out.Enqueue(ctx, tx, msg)
	if err != nil {
		return false, fmt.Errorf("prep: enqueue %s: %w", msg.DedupKey, err)
	}
	return created, nil
}
