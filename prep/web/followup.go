package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/oneonone/oneonone/prep"
)

// FollowUpService is what the follow-up pages need from the prep domain
// (prep.FollowUps). Every method takes the raw token from the link.
type FollowUpService interface {
	// Open returns what the page shows; it must not change anything.
	Open(ctx context.Context, token string) (prep.FollowUp, error)
	// Save stores the answer: prep.OutcomeHeld, OutcomeNotHeld or
	// OutcomeMoved, and the next steps (kept with held).
	Save(ctx context.Context, token, outcome, nextSteps string) (prep.FollowUp, error)
	// Pause and Resume stop and restart the mails of this 1:1 for the
	// link's person; they accept expired links.
	Pause(ctx context.Context, token string) error
	Resume(ctx context.Context, token string) error
}

// followServer serves the follow-up pages with everything the prep pages
// have: the same headers, rate limit, origin check and error pages.
type followServer struct {
	*server
	follow FollowUpService
}

// NewFollowUp returns the handler for the follow-up pages, routed under
// /f/: the "did it happen?" page of a follow-up mail (GET shows, POST
// saves) and the page that pauses the mails of a 1:1 (also the target of
// a nudge's link). Like New it panics on a bad PublicURL.
func NewFollowUp(svc FollowUpService, opt Options) http.Handler {
	srv, err := newServer(nil, opt)
	if err != nil {
		panic(err)
	}
	s := &followServer{server: srv, follow: svc}
	mux := http.NewServeMux()
	s.route(mux, "/f/{token}", "GET", s.showFollowUp, "POST", s.saveFollowUp)
	s.route(mux, "/f/{token}/pause", "GET", s.showFollowPause, "POST", s.saveFollowPause)
	s.route(mux, "/f/{token}/resume", "GET", s.showFollowPause, "POST", s.saveFollowResume)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errNotFound)
	})
	return secureHeaders(s.recoverPanics(limitBody(mux)))
}

// followLink is the path of a follow-up page for a token.
func (s *followServer) followLink(token, suffix string) string {
	return s.base + "/f/" + url.PathEscape(token) + suffix
}

// openFollowUp is guard around FollowUpService.Open.
func (s *followServer) openFollowUp(r *http.Request) (prep.FollowUp, error) {
	var f prep.FollowUp
	err := s.guard(r, func(ctx context.Context, token string) error {
		var err error
		f, err = s.follow.Open(ctx, token)
		return err
	})
	return f, err
}

// failFollow is fail, with the expired page pointing at this page's own
// pause link.
func (s *followServer) failFollow(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, prep.ErrExpiredLink) {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusGone, "error", &errorPage{Status: http.StatusGone, Title: "This link has expired",
		Text: []string{"Follow-up links work for a week after their meeting, or the meeting is no longer in the calendar.",
			"Nothing needs doing: you will get a new link after your next 1:1."},
		Link: &pageLink{Href: s.followLink(r.PathValue("token"), "/pause"), Text: "Pause mails for this 1:1"}})
}
