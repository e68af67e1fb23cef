package web

import (
	"errors"
	"net/http"
)

// unsubscribe serves POST /p/{token}/unsubscribe, the target of the
// List-Unsubscribe header's one-click POST (RFC 8058): the mail provider
// posts "List-Unsubscribe=One-Click" from its servers and shows nobody our
// answer, so it is a plain 200 page rather than a redirect. The body is
// required, so that only a one-click request pauses here.
func (s *server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(maxBody); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, r, err)
			return
		}
		s.fail(w, r, &badFormError{reason: "The unsubscribe request arrived garbled."})
		return
	}
	if r.PostFormValue("List-Unsubscribe") != "One-Click" {
		s.fail(w, r, &badFormError{reason: "This address only takes one-click unsubscribe requests (RFC 8058)."})
		return
	}
	if err := s.guard(r, s.svc.Pause); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.open(r)
	p := s.confirmPage(f, r.PathValue("token"), "/pause", err != nil) // paused all the same
	p.Paused, p.Done = true, true
	s.render(w, http.StatusOK, "pause", p)
}
