package compose

import (
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/mailer"
)

// Digest is one mail with all of a person's prep invites of one day.
type Digest struct {
	From    string
	ReplyTo string
	To      Person
	// Location is the recipient's zone: the day and every time are in it.
	Location  *time.Location
	PublicURL string
	Meetings  []DigestMeeting // in order of start
}

// DigestMeeting is one 1:1 of a digest, with its own links.
type DigestMeeting struct {
	Other         Person
	Title         string // untrusted
	Start, End    time.Time
	OtherAnswered bool   // the other person has answered their prep
	Token         string // the recipient's form token for this meeting
	PairToken     string // the recipient's pair page token; "" for none
}

// digestView is what the digest templates see.
type digestView struct {
	To, Day  string
	Zone     string
	Meetings []digestItem
}

type digestItem struct {
	Other, Title, When string
	OtherAnswered      bool
	Links              links
}

// DigestMail renders the digest: "Your 4 1:1s on Tuesday".
func DigestMail(d Digest) (mailer.Message, error) {
	if d.PublicURL == "" || len(d.Meetings) == 0 {
		return mailer.Message{}, fmt.Errorf("compose: digest: no public URL or no meetings")
	}
	loc := orUTC(d.Location)
	day := d.Meetings[0].Start.In(loc)
	v := digestView{To: label(d.To), Day: day.Format("Monday 2 January 2006"), Zone: zoneName(loc)}
	for _, m := range d.Meetings {
		p := Prep{PublicURL: d.PublicURL, Token: m.Token, PairToken: m.PairToken}
		if m.Token == "" {
			return mailer.Message{}, fmt.Errorf("compose: digest: a meeting without a token")
		}
		v.Meetings = append(v.Meetings, digestItem{Other: label(m.Other), Title: calendars.OneLine(m.Title),
			When: clockRange(m.Start, m.End, loc), OtherAnswered: m.OtherAnswered, Links: p.links()})
	}
	return envelope{d.From, d.ReplyTo, d.To}.message("digest", v, fmt.Sprintf("Your %d 1:1s on %s", len(d.Meetings), day.Format("Monday")))
}

// clockRange is "14:00–14:30 CET", the day being said once above.
func clockRange(start, end time.Time, loc *time.Location) string {
	s, e := start.In(loc), end.In(loc)
	if end.IsZero() || !e.After(s) {
		return s.Format("15:04 MST")
	}
	return s.Format("15:04") + "–" + e.Format("15:04 MST")
}
