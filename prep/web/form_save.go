package web

import (
	"errors"
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// saveForm serves POST /p/{token}: it saves the answers and sends the
// browser back to the form with a "saved" notice (303, so that reloading
// the page does not post again). After the meeting has started nothing is
// saved and the page says so, showing back what was sent.
func (s *server) saveForm(w http.ResponseWriter, r *http.Request) {
	// Open first: the questions say which fields to read and how to
	// check them, and an unknown link counts against the rate limit
	// before the body is even read.
	f, err := s.open(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form, err := parseAnswers(r, f.Questions)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Editable {
		s.fail(w, r, &lockedError{form: f, sent: form.Answers})
		return
	}
	// The link is known (Open said so): no rate limit on this call.
	_, err = s.svc.Save(r.Context(), r.PathValue("token"), form.Answers)
	if errors.Is(err, prep.ErrLocked) {
		err = &lockedError{form: f, sent: form.Answers}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, s.link(r.PathValue("token"), "?n=saved"), http.StatusSeeOther)
}
