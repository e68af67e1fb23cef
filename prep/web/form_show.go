package web

import (
	"net/http"
)

// showForm serves GET and HEAD /p/{token}: the form with the saved
// answers filled in, or once the meeting has started the read-only page
// with the agenda, or for a meeting that will not take place the page
// that says so. It only reads: mail scanners open every link.
func (s *server) showForm(w http.ResponseWriter, r *http.Request) {
	f, err := s.open(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.formPage(f, r.PathValue("token"), r.URL.Query().Get("n"))
	if p.Off != "" {
		s.render(w, http.StatusOK, "cancelled", p)
		return
	}
	if !f.Editable {
		s.render(w, http.StatusOK, "readonly", p)
		return
	}
	s.render(w, http.StatusOK, "form", p)
}
