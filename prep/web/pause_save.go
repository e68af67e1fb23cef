package web

import (
	"net/http"
)

// savePause serves POST /p/{token}/pause, the confirm page's button:
// prep mails for this 1:1 stop for this person, and the pause page says
// so (not the form: the link may have expired, and pausing still works).
func (s *server) savePause(w http.ResponseWriter, r *http.Request) {
	if err := s.guard(r, s.svc.Pause); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, s.link(r.PathValue("token"), "/pause?n=paused"), http.StatusSeeOther)
}
