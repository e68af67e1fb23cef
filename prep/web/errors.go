package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/oneonone/oneonone/prep"
)

// Errors of the pages themselves; the prep domain's are in package prep.
var (
	errNotFound    = errors.New("no such page")
	errMethod      = errors.New("method not allowed")
	errCrossOrigin = errors.New("cross-origin post refused")
	errPanic       = errors.New("handler panicked")
)

// rateLimitedError is a refused request of a client that sent too many
// unknown links.
type rateLimitedError struct{ retryAfter int } // seconds

func (e *rateLimitedError) Error() string { return "too many unknown links from this client" }

// badFormError is a form the pages cannot read; reason is said to the user.
type badFormError struct{ reason string }

func (e *badFormError) Error() string { return "bad form: " + e.reason }

// lockedError is a refused save (prep.ErrLocked, or prep.ErrCancelled in
// cause), with what the person sent so that the page can show it back:
// typed text is never simply lost.
type lockedError struct {
	form  prep.Form
	sent  map[string]string
	cause error // nil means prep.ErrLocked
}

func (e *lockedError) Error() string { return e.Unwrap().Error() }
func (e *lockedError) Unwrap() error {
	if e.cause == nil {
		return prep.ErrLocked
	}
	return e.cause
}

// fail answers a request with the page that explains err, and logs what
// an admin may need. Error pages never show err itself: it may hold
// internals, and the words for people are in errorPageFor.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := s.errorPageFor(r, err)
	var rl *rateLimitedError
	if errors.As(err, &rl) {
		w.Header().Set("Retry-After", strconv.Itoa(rl.retryAfter))
	}
	level := slog.LevelDebug
	switch {
	case errors.Is(err, context.Canceled): // the client went away
	case p.Status >= 500 && err != errPanic: // a panic is logged with its stack already
		level = slog.LevelError
	case p.Status == http.StatusForbidden, p.Status == http.StatusBadRequest,
		p.Status == http.StatusRequestEntityTooLarge:
		level = slog.LevelWarn // a proxy or client that needs fixing
	}
	s.log.Log(r.Context(), level, "prep page refused", logKeyRoute, route(r),
		logKeyMethod, r.Method, logKeyStatus, p.Status, logKeyLink, linkID(r.PathValue("token")), logKeyErr, err.Error())
	s.render(w, p.Status, "error", p)
}

// errorPageFor says in words what happened and what to do next.
func (s *server) errorPageFor(r *http.Request, err error) *errorPage {
	token := r.PathValue("token")
	var (
		rl     *rateLimitedError
		bad    *badFormError
		locked *lockedError
		tooBig *http.MaxBytesError
	)
	switch {
	case errors.As(err, &locked) && errors.Is(err, prep.ErrCancelled):
		return cancelledPage(s, token, locked)
	case errors.As(err, &locked):
		return lockedPage(s, token, locked)
	case errors.Is(err, prep.ErrCancelled):
		return &errorPage{Status: http.StatusConflict, Title: "This meeting will not take place",
			Text: []string{"Nothing was changed."}, Link: &pageLink{Href: s.link(token, ""), Text: "Back to the meeting"}}
	case errors.Is(err, prep.ErrLocked):
		return &errorPage{Status: http.StatusConflict, Title: "The meeting has started",
			Text: []string{"Once a meeting has started its prep can no longer be changed, so nothing was changed."},
			Link: &pageLink{Href: s.link(token, ""), Text: "See the agenda"}}
	case errors.Is(err, errUnknownPair):
		return &errorPage{Status: http.StatusNotFound, Title: "This link is not valid",
			Text: []string{"There is no 1:1 record for this link. Perhaps part of it was lost when it was copied, or a newer link replaced it.",
				"Open the link from your latest prep email again."}}
	case errors.Is(err, prep.ErrUnknownLink):
		return &errorPage{Status: http.StatusNotFound, Title: "This link is not valid",
			Text: []string{"There is no prep form for this link. Perhaps part of it was lost when it was copied.",
				"Open the link from your latest prep email again. If that does not work, reply to that email to ask for a new link."}}
	case errors.Is(err, prep.ErrExpiredLink):
		return &errorPage{Status: http.StatusGone, Title: "This link has expired",
			Text: []string{"Prep links work until shortly after their meeting, and this meeting is over.",
				"You will get a new link by email before your next 1:1. If you need one sooner, reply to the prep email to ask for it."},
			Link: &pageLink{Href: s.link(token, "/pause"), Text: "Pause prep mails for this 1:1"}}
	case errors.As(err, &rl):
		return &errorPage{Status: http.StatusTooManyRequests, Title: "Too many attempts",
			Text: []string{"Too many links that are not valid were opened from your network.",
				"Wait a minute, then open the link from your prep email again."}}
	case errors.Is(err, errCrossOrigin):
		return &errorPage{Status: http.StatusForbidden, Title: "This form can only be sent from its own page",
			Text: []string{"Nothing was changed. Open the link from your prep email and send the form from there."}}
	case errors.As(err, &bad):
		return &errorPage{Status: http.StatusBadRequest, Title: "The form could not be read",
			Text: []string{bad.reason + " Nothing was changed.", "Go back, check your answers and send the form again."}}
	case errors.As(err, &tooBig):
		return &errorPage{Status: http.StatusRequestEntityTooLarge, Title: "Too much text",
			Text: []string{"The answers together are longer than this form takes, so nothing was saved.",
				"Go back, shorten them and send the form again."}}
	case errors.Is(err, errNotFound):
		return &errorPage{Status: http.StatusNotFound, Title: "Page not found",
			Text: []string{"There is no page at this address. Open the link from your prep email."}}
	case errors.Is(err, errMethod):
		return &errorPage{Status: http.StatusMethodNotAllowed, Title: "This page cannot do that",
			Text: []string{"Open the link from your prep email."}}
	}
	p := &errorPage{Status: http.StatusInternalServerError, Title: "Something went wrong",
		Text: []string{"This is a problem on our side, not something you did. Please try again in a few minutes."}}
	if r.Method == http.MethodPost {
		p.Text = append(p.Text, "What you just sent may not have been saved: go back to keep a copy of it before you try again.")
	}
	return p
}

// lockedPage tells that a save came too late and gives back what was sent.
func lockedPage(s *server, token string, e *lockedError) *errorPage {
	return sentBack(&errorPage{Status: http.StatusConflict, Title: "The meeting has started",
		Text: []string{"Answers can no longer be changed once the meeting has started, so what you just sent was not saved."},
		Link: &pageLink{Href: s.link(token, ""), Text: "See the agenda"}}, e)
}

// sentBack adds to p the answers of a refused save, so that nothing typed
// is lost.
func sentBack(p *errorPage, e *lockedError) *errorPage {
	for _, a := range answerList(e.form.Questions, e.sent) {
		if a.Text != "" {
			p.Sent = append(p.Sent, a)
		}
	}
	if len(p.Sent) > 0 {
		p.Text = append(p.Text, "Here is what you sent, so that you can copy it:")
	}
	return p
}
