// Package compose renders oneonone's emails from templates: the prep
// invite, the reminder, the agenda sent by email when the calendar copy
// cannot be written, and the notice that a calendar was disconnected.
//
// Each function returns a mailer.Message with From, To, Subject, the text
// and HTML bodies and the extra headers filled; the caller sets the dedup
// key and enqueues it. Names, titles and answers are untrusted: the HTML
// part escapes them (html/template), and anything that goes into a header
// is made one line first.
package compose

import (
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/mailer"
)

// Person is a sender or recipient of a 1:1 mail.
type Person = calendars.Person

// label is how the person is named in a sentence: the name, else the
// address.
func label(p Person) string {
	if n := calendars.OneLine(p.Name); n != "" {
		return n
	}
	return calendars.OneLine(p.Email)
}

// Prep is what the invite, the reminder and the agenda mail are about.
type Prep struct {
	From    string // the From field, "Name <addr@example.com>"
	ReplyTo string // optional

	To    Person // the recipient
	Other Person // the other person of the 1:1

	Title      string // the meeting's title from the calendar (untrusted)
	Start, End time.Time
	// Location is the recipient's zone, in which every time is shown;
	// UTC when nil.
	Location *time.Location

	// PublicURL is the base of every link, without a trailing slash, and
	// Token the recipient's link token: the form is PublicURL/p/Token.
	PublicURL string
	Token     string
	// PairToken, when set, is the recipient's token of the pair page
	// (PublicURL/pair/PairToken): the record of all their 1:1s together.
	PairToken string

	Questions []string // invite and reminder: the questions' texts
	Agenda    string   // agenda mail: the composed agenda body
}

// Links of one recipient's prep mail.
type links struct {
	Form, Pause, Unsubscribe string
	Pair                     string // "" when the mail has no pair page link
}

func (p Prep) links() links {
	base := strings.TrimRight(calendars.OneLine(p.PublicURL), "/") + "/p/" + calendars.OneLine(p.Token)
	return links{Form: base, Pause: base + "/pause", Unsubscribe: base + "/unsubscribe",
		Pair: pairLink(p.PublicURL, p.PairToken)}
}

// pairLink is the address of the pair page of token, or "" without one.
func pairLink(publicURL, token string) string {
	if calendars.OneLine(token) == "" {
		return ""
	}
	return strings.TrimRight(calendars.OneLine(publicURL), "/") + "/pair/" + calendars.OneLine(token)
}

// Invite is the first mail of an occurrence: the link to the form.
func Invite(p Prep) (mailer.Message, error) {
	return p.message("invite", "Prep for your 1:1 with %s — %s")
}

// Reminder goes to whoever has not answered shortly before the meeting.
func Reminder(p Prep) (mailer.Message, error) {
	return p.message("reminder", "Reminder: prep for your 1:1 with %s — %s")
}

// Agenda carries the composed agenda when the calendar copy of the
// meeting cannot be written.
func Agenda(p Prep) (mailer.Message, error) {
	return p.message("agenda", "Agenda for your 1:1 with %s — %s")
}

func (p Prep) message(kind, subject string) (mailer.Message, error) {
	if p.PublicURL == "" || p.Token == "" {
		return mailer.Message{}, fmt.Errorf("compose: %s: no public URL or token for the links", kind)
	}
	v := p.view()
	return envelope{p.From, p.ReplyTo, p.To}.message(kind, v, fmt.Sprintf(subject, label(p.Other), short(p.Start, p.Location)),
		mailer.Header{Name: "List-Unsubscribe", Value: "<" + v.Links.Unsubscribe + ">"},
		mailer.Header{Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click"})
}

// prepView is what the prep templates see: every untrusted string made
// safe for a text body (one line, or for the agenda, clean lines).
type prepView struct {
	To, Other string
	Title     string
	When      string
	Zone      string
	Questions []string
	Agenda    string
	Links     links
}

func (p Prep) view() prepView {
	qs := make([]string, 0, len(p.Questions))
	for _, q := range p.Questions {
		if q = calendars.OneLine(q); q != "" {
			qs = append(qs, q)
		}
	}
	return prepView{
		To:        label(p.To),
		Other:     label(p.Other),
		Title:     calendars.OneLine(p.Title),
		When:      long(p.Start, p.End, p.Location),
		Zone:      zoneName(p.Location),
		Questions: qs,
		Agenda:    cleanText(p.Agenda),
		Links:     p.links(),
	}
}
