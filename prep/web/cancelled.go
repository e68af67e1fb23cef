package web

import (
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// offText says, for a meeting that will not take place, why and what
// becomes of the answers; "" for a meeting that will.
func offText(m prep.Meeting) string {
	const kept = " Your answers are kept: if the meeting is put back in the calendar, they are here again and can be changed."
	switch m.State {
	case "cancelled":
		return "This meeting was cancelled, so there is nothing to prepare and nothing can be saved." + kept
	case "declined":
		return "This meeting was declined, so it will not take place and nothing can be saved." + kept
	case "superseded":
		return "This meeting is no longer in the series: the series was changed from this date on, so nothing can be saved here." +
			" Your next prep email has the link for the meeting that took its place."
	}
	return ""
}

// cancelledPage tells that a save was refused because the meeting will not
// take place, and gives back what was sent.
func cancelledPage(s *server, token string, e *lockedError) *errorPage {
	return sentBack(&errorPage{Status: http.StatusConflict, Title: "This meeting will not take place",
		Text: []string{offText(e.form.Meeting) + " What you just sent was not saved."},
		Link: &pageLink{Href: s.link(token, ""), Text: "Back to the meeting"}}, e)
}
