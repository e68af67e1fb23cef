package web

import (
	"net/http"
)

// showResume serves GET and HEAD /p/{token}/resume: a page that asks to
// confirm resuming prep mails (or says they are on).
func (s *server) showResume(w http.ResponseWriter, r *http.Request) {
	f, err := s.open(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "resume", s.confirmPage(f, r.PathValue("token"), "/resume"))
}
