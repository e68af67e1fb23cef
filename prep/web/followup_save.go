package web

import (
	"errors"
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// saveFollowUp serves POST /f/{token}: it saves the answer and sends the
// browser back to the page with a notice (303). Without a choice, or with
// next steps too long, the page comes back with what was typed.
func (s *followServer) saveFollowUp(w http.ResponseWriter, r *http.Request) {
	f, err := s.openFollowUp(r)
	if err != nil {
		s.failFollow(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, &badFormError{reason: "The form was cut off or garbled on the way."})
		return
	}
	outcome, steps := r.PostForm.Get("outcome"), r.PostForm.Get("next_steps")
	// The link is known (Open said so): no rate limit on this call.
	_, err = s.follow.Save(r.Context(), r.PathValue("token"), outcome, steps)
	var bad *prep.AnswerError
	switch {
	case err == nil:
		http.Redirect(w, r, s.followLink(r.PathValue("token"), "?n=saved"), http.StatusSeeOther)
	case errors.Is(err, prep.ErrInvalidOutcome), errors.As(err, &bad):
		p := s.followPage(f, r.PathValue("token"), "")
		p.Problem = "Not saved yet: choose whether the meeting happened."
		if bad != nil {
			p.Problem = "Not saved yet: " + sentence(bad.Reason)
		}
		p.NextSteps = steps
		for i := range p.Choices {
			p.Choices[i].Checked = p.Choices[i].Value == outcome
		}
		s.render(w, http.StatusUnprocessableEntity, "followup", p)
	default:
		s.failFollow(w, r, err)
	}
}
