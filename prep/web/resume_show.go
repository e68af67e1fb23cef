package web

import (
	"errors"
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// showResume serves GET and HEAD /p/{token}/resume: a page that asks to
// confirm resuming prep mails (or says they are on).
func (s *server) showResume(w http.ResponseWriter, r *http.Request) {
	f, err := s.open(r)
	if err != nil && !errors.Is(err, prep.ErrExpiredLink) {
		s.fail(w, r, err)
		return
	}
	// Resuming works with an expired link, like pausing.
	p := s.confirmPage(f, r.PathValue("token"), "/resume", err != nil)
	p.Done = r.URL.Query().Get("n") == "resumed" && (!p.Paused || p.Expired)
	s.render(w, http.StatusOK, "resume", p)
}
