package web

import (
	"errors"
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// showPause serves GET and HEAD /p/{token}/pause (and /unsubscribe, which
// mail programs may open in a browser): a page that asks to confirm. Only
// its button's POST pauses anything.
func (s *server) showPause(w http.ResponseWriter, r *http.Request) {
	f, err := s.open(r)
	if err != nil && !errors.Is(err, prep.ErrExpiredLink) {
		s.fail(w, r, err)
		return
	}
	// Pausing works with an expired link: the one in an old mail must
	// still stop the mails.
	p := s.confirmPage(f, r.PathValue("token"), "/pause", err != nil)
	// After the POST: say it is done, if it is (the query alone cannot
	// make the page claim so for a live link).
	p.Done = r.URL.Query().Get("n") == "paused" && (p.Paused || p.Expired)
	s.render(w, http.StatusOK, "pause", p)
}

// confirmPage is the pause or resume page; for an expired link Open told
// nothing, so it names no meeting and has no form to go back to.
func (s *server) confirmPage(f prep.Form, token, action string, expired bool) *confirmPage {
	other := personName(f.Other)
	if expired {
		return &confirmPage{Other: "the other person", Subject: "this 1:1", Expired: true,
			Action: s.link(token, action), Links: links{Resume: s.link(token, "/resume")}}
	}
	return &confirmPage{
		Other:   other,
		Subject: "your 1:1 with " + other,
		When:    s.meetingTime(f),
		Paused:  f.Paused,
		Action:  s.link(token, action),
		Links:   links{Form: s.link(token, ""), Pause: s.link(token, "/pause"), Resume: s.link(token, "/resume")},
	}
}
