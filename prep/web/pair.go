package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/oneonone/oneonone/prep"
)

// PairService is what the pair pages need from the prep domain. Both
// methods take the raw token of the link and fail with
// prep.ErrUnknownLink for a token that is not (or no longer) a pair link.
type PairService interface {
	// OpenPair returns the record the link shows. It must not change
	// anything: it runs for GET and HEAD.
	OpenPair(ctx context.Context, token string) (prep.PairRecord, error)
	// RotatePair gives the link a new token and returns it; the old
	// token is unknown from then on.
	RotatePair(ctx context.Context, token string) (string, error)
}

// pairStyleSheet is the pair page's own styles (timeline, charts),
// inlined after the common sheet and allowed by its own hash on the pair
// pages only, so the other pages stay as they are.
var (
	pairStyleSheet = mustRead("templates/pair.css")
	pairCSP        = "default-src 'none'; style-src '" + styleHash + "' 'sha256-" + hashOf(pairStyleSheet) + "'; " +
		"form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

// errUnknownPair is an unknown pair link: a prep.ErrUnknownLink (the
// rate limit counts it) with its own words on the page.
var errUnknownPair = &unknownPairError{}

type unknownPairError struct{}

func (*unknownPairError) Error() string { return "unknown pair link" }
func (*unknownPairError) Unwrap() error { return prep.ErrUnknownLink }

// routePairs registers the pair pages: the page, its exports, and the
// rotation of its link (GET asks, POST does it). The exports and the
// rotation share one pattern: the mux cannot tell a literal "rotate"
// apart from the file wildcard across methods.
func (s *server) routePairs(mux *http.ServeMux) {
	mux.HandleFunc("GET /pair/{token}", s.pairCSP(s.showPair))
	mux.HandleFunc("GET /pair/{token}/{file}", s.pairCSP(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("file") == "rotate" {
			s.showRotate(w, r)
			return
		}
		s.exportPair(w, r)
	}))
	mux.HandleFunc("POST /pair/{token}/rotate", s.pairCSP(s.sameOrigin(s.rotatePair)))
	for _, path := range []string{"/pair/{token}", "/pair/{token}/{file}"} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", "GET, HEAD")
			if r.PathValue("file") == "rotate" {
				w.Header().Set("Allow", "GET, HEAD, POST")
			}
			s.fail(w, r, errMethod)
		})
	}
}

// pairCSP lets the pair page's own stylesheet in.
func (s *server) pairCSP(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", pairCSP)
		next(w, r)
	}
}

// pairLink is the path of a pair page, or one of its parts, for token.
func (s *server) pairLink(token, suffix string) string {
	return s.base + "/pair/" + url.PathEscape(token) + suffix
}

// openPair is guard around PairService.OpenPair.
func (s *server) openPair(r *http.Request) (prep.PairRecord, error) {
	var rec prep.PairRecord
	err := s.guard(r, func(ctx context.Context, token string) error {
		var err error
		rec, err = s.pairs.OpenPair(ctx, token)
		return err
	})
	if errors.Is(err, prep.ErrUnknownLink) {
		err = errUnknownPair
	}
	return rec, err
}

// showPair serves GET and HEAD /pair/{token}. It only reads.
func (s *server) showPair(w http.ResponseWriter, r *http.Request) {
	rec, err := s.openPair(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.pairPage(rec, r.PathValue("token"))
	p.Rotated = r.URL.Query().Get("n") == "rotated"
	s.render(w, http.StatusOK, "pair", p)
}

// showRotate serves GET /pair/{token}/rotate: it asks to confirm.
func (s *server) showRotate(w http.ResponseWriter, r *http.Request) {
	rec, err := s.openPair(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "pairrotate", s.pairPage(rec, r.PathValue("token")))
}

// rotatePair serves POST /pair/{token}/rotate: a new link, and the
// browser is sent to it (303); the old link is a 404 from now on.
func (s *server) rotatePair(w http.ResponseWriter, r *http.Request) {
	var fresh string
	err := s.guard(r, func(ctx context.Context, token string) error {
		var err error
		fresh, err = s.pairs.RotatePair(ctx, token)
		return err
	})
	if errors.Is(err, prep.ErrUnknownLink) {
		err = errUnknownPair
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, s.pairLink(fresh, "?n=rotated"), http.StatusSeeOther)
}
