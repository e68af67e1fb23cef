package web

import (
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// showPause serves GET and HEAD /p/{token}/pause (and /unsubscribe, which
// mail programs may open in a browser): a page that asks to confirm. Only
// its button's POST pauses anything.
func (s *server) showPause(w http.ResponseWriter, r *http.Request) {
	f, err := s.open(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.confirmPage(f, r.PathValue("token"), "/pause")
	s.render(w, http.StatusOK, "pause", p)
}

func (s *server) confirmPage(f prep.Form, token, action string) *confirmPage {
	return &confirmPage{
		Other:  personName(f.Other),
		When:   s.meetingTime(f),
		Paused: f.Paused,
		Action: s.link(token, action),
		Links:  links{Form: s.link(token, ""), Pause: s.link(token, "/pause"), Resume: s.link(token, "/resume")},
	}
}
