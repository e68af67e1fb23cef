package web

import (
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// followPage is the "did it happen?" page.
type followPage struct {
	Other     string
	You       string
	When      meetingTime
	Notice    string
	Problem   string
	Choices   []choice
	NextSteps string
	MaxLen    int
	Paused    bool
	Links     followLinks
}

type followLinks struct{ Page, Pause, Resume string }

// choice is one radio button of the page.
type choice struct {
	ID, Value, Label string
	Checked          bool
}

var followNotices = map[string]string{
	"saved": "Thank you, your answer is saved. You can change it here.",
}

// showFollowUp serves GET and HEAD /f/{token}. It only reads. A nudge's
// link has no meeting to ask about: it opens the pause page.
func (s *followServer) showFollowUp(w http.ResponseWriter, r *http.Request) {
	f, err := s.openFollowUp(r)
	if err != nil {
		s.failFollow(w, r, err)
		return
	}
	if f.Kind != "followup" {
		http.Redirect(w, r, s.followLink(r.PathValue("token"), "/pause"), http.StatusSeeOther)
		return
	}
	s.render(w, http.StatusOK, "followup", s.followPage(f, r.PathValue("token"), r.URL.Query().Get("n")))
}

func (s *followServer) followPage(f prep.FollowUp, token, notice string) *followPage {
	p := &followPage{
		Other: personName(f.Other), You: f.You.Email, Notice: followNotices[notice],
		When:      s.meetingTime(prep.Form{Meeting: f.Meeting, Location: f.Location}),
		NextSteps: f.NextSteps, MaxLen: s.maxAnswer, Paused: f.Paused,
		Links: followLinks{Page: s.followLink(token, ""), Pause: s.followLink(token, "/pause"), Resume: s.followLink(token, "/resume")},
	}
	for _, c := range []choice{
		{ID: "o-held", Value: prep.OutcomeHeld, Label: "Yes, it happened"},
		{ID: "o-not-held", Value: prep.OutcomeNotHeld, Label: "No, it did not happen"},
		{ID: "o-moved", Value: prep.OutcomeMoved, Label: "It was moved to another time"},
	} {
		c.Checked = c.Value == f.Outcome
		p.Choices = append(p.Choices, c)
	}
	return p
}
