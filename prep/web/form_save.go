package web

import (
	"errors"
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// saveForm serves POST /p/{token}: it saves the answers and sends the
// browser back to the form with a "saved" notice (303, so that reloading
// the page does not post again). An answer that cannot be saved brings the
// form back with everything as typed and the reason beside the question.
// After the meeting has started, or while it will not take place, nothing
// is saved and the page says so, showing back what was sent.
func (s *server) saveForm(w http.ResponseWriter, r *http.Request) {
	// Open first: the questions say which fields to read and how to
	// check them, and an unknown link counts against the rate limit
	// before the body is even read.
	f, err := s.open(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form, err := parseAnswers(r, f.Questions, s.maxAnswer)
	var bad *prep.AnswerError
	switch {
	case err != nil && !errors.As(err, &bad):
		s.fail(w, r, err) // unreadable: nothing to give back
		return
	case f.Meeting.Cancelled():
		err = prep.ErrCancelled
	case !f.Editable:
		err = prep.ErrLocked
	case err == nil:
		// The link is known (Open said so): no rate limit on this call.
		_, err = s.svc.Save(r.Context(), r.PathValue("token"), form.Answers)
	}
	switch {
	case err == nil:
		http.Redirect(w, r, s.link(r.PathValue("token"), "?n=saved"), http.StatusSeeOther)
	case errors.Is(err, prep.ErrLocked), errors.Is(err, prep.ErrCancelled):
		s.fail(w, r, &lockedError{form: f, sent: form.Answers, cause: err})
	case errors.As(err, &bad):
		p := s.formPage(f, r.PathValue("token"), "")
		p.refuse(form.Answers, bad)
		s.render(w, http.StatusUnprocessableEntity, "form", p)
	default:
		s.fail(w, r, err)
	}
}
