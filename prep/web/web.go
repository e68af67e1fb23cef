// Package web serves the prep pages behind a personal link: the form
// (GET shows it, POST saves it), read-only once the meeting has started,
// and the pages that pause and resume prep mails for a 1:1.
//
// The pages are plain server-rendered HTML that works without
// JavaScript. Every response carries the headers of DESIGN.md
// "Security"; GET and HEAD never change anything, because mail scanners
// open links before people do.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// Service is what the pages need from the prep domain. Every method takes
// the raw token from the link. Errors the pages explain in words are
// prep.ErrUnknownLink, prep.ErrExpiredLink and prep.ErrLocked; any other
// error is shown as a plain "something went wrong" page and logged.
type Service interface {
	// Open returns what the page for this link shows. It must not change
	// anything: it runs for GET and HEAD.
	Open(ctx context.Context, token string) (prep.Form, error)
	// Save stores the answers given, by question id (questions absent
	// from the map keep their answer; "" clears one), and returns the
	// form as saved. prep.ErrLocked once the meeting has started; a
	// *prep.AnswerError for an answer it refuses, which the form shows
	// beside its question with everything as typed.
	Save(ctx context.Context, token string, answers map[string]string) (prep.Form, error)
	// Pause stops prep mails of this 1:1's series for the link's person.
	// It should accept expired links: the pages offer it for them, since
	// the link in an old mail must still stop the mails.
	Pause(ctx context.Context, token string) error
	// Resume undoes Pause.
	Resume(ctx context.Context, token string) error
}

// Options configure the pages. The zero value works for tests on
// loopback; a daemon sets PublicURL.
type Options struct {
	// PublicURL is the base of every link in an email, such as
	// "https://1on1.example.com". Its origin is the only one a form may
	// be posted from, and its path is the prefix of the links the pages
	// write.
	PublicURL string
	// Now is the clock (relative times on pages, the rate limiter).
	// Default time.Now.
	Now func() time.Time
	// Logger gets one line per failed request. Default: discard.
	Logger *slog.Logger
	// RateLimit bounds requests with unknown tokens per client.
	RateLimit RateLimit
	// MaxAnswer is the longest answer in characters, as in
	// prep.Settings; 4,000 when 0.
	MaxAnswer int
	// Pairs serves the pair pages under /pair/; without it they are 404s.
	Pairs PairService
}

// maxBody bounds every request body; a full form is a few kilobytes.
const maxBody = 64 << 10

// server holds what every handler shares.
type server struct {
	svc    Service
	now    func() time.Time
	log    *slog.Logger
	limit  *limiter
	origin *originCheck
	base   string // path prefix of our links, from PublicURL, without a trailing slash

	maxAnswer int
	pairs     PairService
}

// New returns the handler for the prep pages, routed under /p/, and the
// pair pages under /pair/. Mount it at the root of the daemon's mux or
// under both prefixes. Like http.ServeMux with a
// bad pattern, it panics when PublicURL is not an absolute http(s) URL: the
// config's validation is where a user learns about that.
func New(s Service, opt Options) http.Handler {
	srv, err := newServer(s, opt)
	if err != nil {
		panic(err)
	}
	return srv.handler()
}

func newServer(s Service, opt Options) (*server, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.MaxAnswer <= 0 {
		opt.MaxAnswer = defaultMaxAnswer
	}
	var base, publicOrigin string
	if opt.PublicURL != "" {
		u, err := url.Parse(opt.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("web: public URL %q: want http(s)://host[/path]", opt.PublicURL)
		}
		base = strings.TrimRight(u.EscapedPath(), "/")
		publicOrigin = serializeOrigin(u)
	}
	origin, err := newOriginCheck(publicOrigin)
	if err != nil {
		return nil, err
	}
	return &server{
		svc:    s,
		now:    opt.Now,
		log:    opt.Logger,
		limit:  newLimiter(opt.RateLimit, opt.Now),
		origin: origin,
		base:   base,

		maxAnswer: opt.MaxAnswer,
		pairs:     opt.Pairs,
	}, nil
}

// handler routes the pages and wraps them in what every response needs:
// the security headers outermost (so that even a recovered panic or a
// 404 carries them), then panic recovery, then the body limit.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	s.route(mux, "/p/{token}", "GET", s.showForm, "POST", s.saveForm)
	s.route(mux, "/p/{token}/pause", "GET", s.showPause, "POST", s.savePause)
	s.route(mux, "/p/{token}/resume", "GET", s.showResume, "POST", s.saveResume)
	s.route(mux, "/p/{token}/unsubscribe", "GET", s.showPause, "POST", s.unsubscribe)
	if s.pairs != nil {
		s.routePairs(mux)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errNotFound)
	})
	return secureHeaders(s.recoverPanics(limitBody(mux)))
}

// route registers one path's GET (which also answers HEAD) and POST
// handlers, and a page for any other method: the mux's own 405 is bare
// text.
func (s *server) route(mux *http.ServeMux, path, get string, show http.HandlerFunc, post string, save http.HandlerFunc) {
	mux.HandleFunc(get+" "+path, show)
	mux.HandleFunc(post+" "+path, s.sameOrigin(save))
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, HEAD, POST")
		s.fail(w, r, errMethod)
	})
}

// link is the path of one of our pages for a token, under PublicURL's
// path.
func (s *server) link(token, suffix string) string {
	return s.base + "/p/" + url.PathEscape(token) + suffix
}

// serializeOrigin writes u's origin the way browsers send it in Origin:
// lower case, without the scheme's default port.
func serializeOrigin(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && !(scheme == "https" && p == "443") && !(scheme == "http" && p == "80") {
		host += ":" + p
	}
	return scheme + "://" + host
}
