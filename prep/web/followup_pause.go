package web

import (
	"errors"
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// showFollowPause serves GET /f/{token}/pause and /resume: a page that
// says whether the mails of this 1:1 are paused, with a button to change
// that. Only the button's POST changes anything. It works with expired
// links: the one in an old mail must still stop the mails.
func (s *followServer) showFollowPause(w http.ResponseWriter, r *http.Request) {
	f, err := s.openFollowUp(r)
	if err != nil && !errors.Is(err, prep.ErrExpiredLink) {
		s.fail(w, r, err)
		return
	}
	token := r.PathValue("token")
	p := &confirmPage{Other: "the other person", Subject: "this 1:1", Expired: err != nil, Paused: f.Paused,
		Action: s.followLink(token, "/pause"),
		Links:  links{Form: s.followLink(token, ""), Pause: s.followLink(token, "/pause"), Resume: s.followLink(token, "/resume")}}
	if err == nil && f.Other.Email != "" {
		p.Other = personName(f.Other)
		p.Subject = "your 1:1 with " + p.Other
	}
	if f.Kind != "followup" {
		p.Links.Form = "" // a nudge's link has no page of its own
	}
	if p.Paused {
		p.Action = s.followLink(token, "/resume")
	}
	p.Done = r.URL.Query().Get("n") != ""
	s.render(w, http.StatusOK, "followup-pause", p)
}

// saveFollowPause serves POST /f/{token}/pause.
func (s *followServer) saveFollowPause(w http.ResponseWriter, r *http.Request) {
	if err := s.guard(r, s.follow.Pause); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, s.followLink(r.PathValue("token"), "/pause?n=paused"), http.StatusSeeOther)
}

// saveFollowResume serves POST /f/{token}/resume.
func (s *followServer) saveFollowResume(w http.ResponseWriter, r *http.Request) {
	if err := s.guard(r, s.follow.Resume); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, s.followLink(r.PathValue("token"), "/pause?n=resumed"), http.StatusSeeOther)
}
