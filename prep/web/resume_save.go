package web

import (
	"net/http"
)

// saveResume serves POST /p/{token}/resume: prep mails for this 1:1 start
// again for this person.
func (s *server) saveResume(w http.ResponseWriter, r *http.Request) {
	if err := s.guard(r, s.svc.Resume); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, s.link(r.PathValue("token"), "/resume?n=resumed"), http.StatusSeeOther)
}
