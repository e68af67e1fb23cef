package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// pairPage is the pair page: the record of one pair as one of them may
// see it.
type pairPage struct {
	Other, You string
	Zone       string
	Rotated    bool
	Meetings   []pairMeetingView
	Charts     []chart // scale answers, yours first
	Months     *chart  // held vs did not happen per month; nil without any
	Links      pairLinks
}

type pairLinks struct{ Page, JSON, CSV, Markdown, Rotate string }

// pairMeetingView is one occurrence of the timeline.
type pairMeetingView struct {
	ISO, When  string
	Summary    string
	Status     string // "Held", "Cancelled, 3 hours' notice", …
	StatusKind string // the status word, for the class: held, cancelled, …
	Agenda     string
	NextSteps  string
	Yours      []answerView
	Theirs     []answerView
	Hidden     bool // the other's answers wait until both answered
}

func (s *server) pairPage(rec prep.PairRecord, token string) *pairPage {
	loc := rec.Location
	if loc == nil {
		loc = time.UTC
	}
	p := &pairPage{Other: personName(rec.Other), You: rec.You.Email, Zone: zoneName(s.now().In(loc)),
		Links: pairLinks{Page: s.pairLink(token, ""), JSON: s.pairLink(token, "/export.json"),
			CSV: s.pairLink(token, "/export.csv"), Markdown: s.pairLink(token, "/export.md"),
			Rotate: s.pairLink(token, "/rotate")}}
	for _, m := range rec.Meetings {
		p.Meetings = append(p.Meetings, pairMeetingView{
			ISO: m.Start.Format(time.RFC3339), When: m.Start.In(loc).Format("Mon 2 Jan 2006, 15:04"),
			Summary: m.Summary, Status: statusText(m), StatusKind: m.Status,
			Agenda: strings.TrimSpace(m.Agenda), NextSteps: strings.TrimSpace(m.NextSteps),
			Yours: recordAnswerViews(m.Yours), Theirs: recordAnswerViews(m.Theirs), Hidden: m.Hidden,
		})
	}
	other := personName(rec.Other)
	for _, sc := range rec.Scales {
		p.Charts = append(p.Charts, scaleChart(sc, other, loc))
	}
	if len(rec.Months) > 0 {
		p.Months = monthChart(rec.Months)
	}
	return p
}

// statusText says what became of a meeting, with the notice its change
// gave.
func statusText(m prep.RecordMeeting) string {
	var s string
	switch m.Status {
	case prep.StatusHeld:
		s = "Held"
	case prep.StatusNotHeld:
		s = "Did not happen"
	case prep.StatusCancelled:
		s = "Cancelled"
	case prep.StatusDeclined:
		s = "Declined"
	case prep.StatusMoved:
		s = "Moved"
	case prep.StatusScheduled:
		s = "Coming up"
	default:
		s = humanize(m.Status)
	}
	if m.Moved && m.Status != prep.StatusMoved {
		s += ", moved before"
	}
	if m.NoticeHours != nil && (m.Moved || m.Status == prep.StatusCancelled || m.Status == prep.StatusDeclined) {
		s += ", " + notice(*m.NoticeHours) + " notice"
	}
	return s
}

// notice says how much notice a change gave: "3 hours'", "2 days'".
func notice(hours float64) string {
	switch {
	case hours < 1:
		return "less than an hour's"
	case hours < 1.5:
		return "1 hour's"
	case hours < 48:
		return fmt.Sprintf("%.0f hours'", hours)
	}
	return fmt.Sprintf("%.0f days'", hours/24)
}

func recordAnswerViews(as []prep.RecordAnswer) []answerView {
	var out []answerView
	for _, a := range as {
		text, q := strings.TrimSpace(a.Text), a.Question
		if a.Kind == kindScale {
			text += " of 5"
		}
		if a.Visibility == visibilityPrivate {
			q += " (private: only you see this)"
		}
		out = append(out, answerView{Question: q, Text: text})
	}
	return out
}
