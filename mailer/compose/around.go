package compose

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/mailer"
)

// AroundMeeting is what the follow-up and the nudge are about.
type AroundMeeting struct {
	From    string
	ReplyTo string
	To      Person // the recipient
	Other   Person

	Title      string // untrusted
	Start, End time.Time
	Location   *time.Location // the recipient's zone; UTC when nil

	// PublicURL is the base of every link and Token the recipient's
	// token: the page is PublicURL/f/Token.
	PublicURL string
	Token     string
	// PairURL is the recipient's own page for this pair; the mail links
	// it only when set.
	PairURL string
}

// NudgeFacts is the pair's recent record a nudge states.
type NudgeFacts struct {
	AroundMeeting
	Streak             int      // meetings in a row that did not happen
	Held, Missed       int      // of the last (up to) 8 with an outcome
	TypicalNoticeHours *float64 // median notice of cancellations; nil when unknown
}

type aroundLinks struct {
	Page, Pause, Pair string
}

type aroundView struct {
	To, Other, Title string
	When, Zone       string
	Streak           int
	Held, Total      int
	Missed           int
	Notice           string // "about 3 hours", "" when unknown
	Links            aroundLinks
}

func (a AroundMeeting) view() aroundView {
	base := strings.TrimRight(calendars.OneLine(a.PublicURL), "/") + "/f/" + calendars.OneLine(a.Token)
	v := aroundView{
		To: label(a.To), Other: label(a.Other), Title: calendars.OneLine(a.Title),
		Links: aroundLinks{Page: base, Pause: base + "/pause", Pair: calendars.OneLine(a.PairURL)},
	}
	if !a.Start.IsZero() {
		v.When, v.Zone = long(a.Start, a.End, a.Location), zoneName(a.Location)
	}
	return v
}

// FollowUp asks, after a meeting, whether it happened.
func FollowUp(a AroundMeeting) (mailer.Message, error) {
	if a.PublicURL == "" || a.Token == "" {
		return mailer.Message{}, fmt.Errorf("compose: followup: no public URL or token for the links")
	}
	v := a.view()
	return a.message("followup", v, fmt.Sprintf("Did your 1:1 with %s happen? — %s", v.Other, short(a.Start, a.Location)))
}

// Nudge tells both people of a pair that their meetings keep not
// happening, with the numbers, and suggests moving instead of cancelling.
func Nudge(n NudgeFacts) (mailer.Message, error) {
	if n.PublicURL == "" || n.Token == "" {
		return mailer.Message{}, fmt.Errorf("compose: nudge: no public URL or token for the links")
	}
	v := n.view()
	v.Streak, v.Held, v.Missed, v.Total = n.Streak, n.Held, n.Missed, n.Held+n.Missed
	if n.TypicalNoticeHours != nil {
		v.Notice = noticeText(*n.TypicalNoticeHours)
	}
	return n.message("nudge", v, fmt.Sprintf("Your last %d 1:1s with %s did not happen", n.Streak, v.Other))
}

func (a AroundMeeting) message(kind string, v aroundView, subject string) (mailer.Message, error) {
	return envelope{a.From, a.ReplyTo, a.To}.message(kind, v, subject,
		mailer.Header{Name: "List-Unsubscribe", Value: "<" + v.Links.Pause + ">"})
}

// noticeText says a notice in hours the way people do.
func noticeText(h float64) string {
	switch {
	case h < 1:
		return "less than an hour"
	case h < 48:
		return fmt.Sprintf("about %d hours", int(math.Round(h)))
	default:
		return fmt.Sprintf("about %d days", int(math.Round(h/24)))
	}
}
