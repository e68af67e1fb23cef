// Package caldavfs is a small CalDAV server for one user, storing each
// calendar object as a file dir/<user>/<calendar>/<name>.ics. It exists so
// that `oneonone demo` runs the whole product on one machine, and it is
// written to be synced by this project's CalDAV client.
//
// URLs: the principal and the calendar home are both /<user>/, calendars are
// /<user>/<calendar>/, objects /<user>/<calendar>/<name>.ics. An object is
// stored and served as the exact bytes a client PUT; go-ical parses it only to
// validate it and to answer calendar-query. ETags are strong content hashes;
// each calendar has a CalendarServer getctag (a hash over its objects' names
// and ETags), so a client polls an idle calendar with one Depth-0 PROPFIND.
//
// go-webdav's caldav.Handler, over this package's caldav.Backend, answers
// PUT (passing If-Match / If-None-Match to the backend, which checks them),
// DELETE, /.well-known/caldav, and decodes and matches calendar-query.
// Server.ServeHTTP does the rest itself, where go-webdav v0.6.0 falls short:
// PROPFIND (its resource model puts the home one level below the principal
// and knows no getctag), GET, calendar-multiget and the calendar-query answer
// (it re-encodes the data, and its encoder refuses objects without DTSTAMP),
// MKCALENDAR (unsupported), If-Match on DELETE (not passed on) and
// sync-collection (refused with DAV:supported-report, so that clients fall
// back to getctag). Bodies are validated before go-ical's decoder sees them
// (it can panic, and recurses once per nesting level); a panic is answered
// with 400.
package caldavfs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/emersion/go-webdav/caldav"
)

// Options configure a Server.
type Options struct {
	User     string // default "demo"
	Password string // when set, every request needs HTTP basic auth as User
}

// Server is the CalDAV server. It is safe for concurrent use.
type Server struct {
	user, password string
	store          *store
	dav            *caldav.Handler
}

// maxBody bounds a request body.
const maxBody = 10 << 20

// New opens (creating it if needed) the file store under dir and returns the
// server. Calendars already in dir/<user>/ are served.
func New(dir string, opt Options) (*Server, error) {
	if opt.User == "" {
		opt.User = "demo"
	}
	if !validName(opt.User) {
		return nil, fmt.Errorf("caldavfs: %q cannot be a user name", opt.User)
	}
	st, err := openStore(filepath.Join(dir, opt.User))
	if err != nil {
		return nil, fmt.Errorf("caldavfs: %w", err)
	}
	s := &Server{user: opt.User, password: opt.Password, store: st}
	s.dav = &caldav.Handler{Backend: backend{s}}
	return s, nil
}

// Handler returns the HTTP handler, to be served at the root of a host.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.ServeHTTP) }

// MakeCalendar creates the calendar (doing nothing if it exists) and returns
// its URL path, /<user>/<name>/. Its objects are at that path + <name>.ics.
func (s *Server) MakeCalendar(name string) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("caldavfs: %q cannot be a calendar name", name)
	}
	if err := s.store.makeCalendar(name); err != nil && !errors.Is(err, errExists) {
		return "", fmt.Errorf("caldavfs: make calendar %s: %w", name, err)
	}
	return s.calPath(name), nil
}

// Put writes (creates or replaces) an object of a calendar, unconditionally,
// and returns its ETag (quoted, as clients see it). name may end in .ics.
func (s *Server) Put(calendar, name string, ics []byte) (string, error) {
	name = strings.TrimSuffix(name, ".ics")
	if !validName(calendar) || !validName(name) {
		return "", fmt.Errorf("caldavfs: bad calendar or object name %q/%q", calendar, name)
	}
	cal, err := parseICS(ics)
	if err != nil {
		return "", fmt.Errorf("caldavfs: put %s/%s: %w", calendar, name, err)
	}
	m, _, err := s.store.put(calendar, name, ics, uidOf(cal), "", "")
	if err != nil {
		return "", fmt.Errorf("caldavfs: put %s/%s: %w", calendar, name, err)
	}
	return quote(m.etag), nil
}

// Get returns an object's bytes and ETag (quoted); ErrNotFound when it does
// not exist. name may end in .ics.
func (s *Server) Get(calendar, name string) ([]byte, string, error) {
	data, m, err := s.store.get(calendar, strings.TrimSuffix(name, ".ics"))
	if err != nil {
		return nil, "", fmt.Errorf("caldavfs: get %s/%s: %w", calendar, name, err)
	}
	return data, quote(m.etag), nil
}

// ServeHTTP authenticates the request and answers it, itself or through
// go-webdav (see the package comment). A panic while handling bad input is
// answered with 400.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			if !sw.written {
				http.Error(sw, fmt.Sprintf("caldavfs: cannot process this request: %v", v), http.StatusBadRequest)
			}
		}
	}()
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="caldavfs", charset="UTF-8"`)
		http.Error(w, "caldavfs: login required", http.StatusUnauthorized)
		return
	}
	r.Body = http.MaxBytesReader(sw, r.Body, maxBody)
	if p := strings.TrimSuffix(r.URL.Path, "/"); p == "/.well-known/caldav" {
		r.URL.Path = "/.well-known/caldav"
		s.dav.ServeHTTP(sw, r) // redirects to the principal
		return
	}
	switch r.Method {
	case "PROPFIND":
		s.propfind(sw, r)
	case "REPORT":
		s.report(sw, r)
	case http.MethodGet, http.MethodHead:
		s.get(sw, r)
	case http.MethodPut:
		s.put(sw, r)
	case http.MethodDelete:
		ctx := context.WithValue(r.Context(), ifMatchKey, r.Header.Get("If-Match"))
		s.dav.ServeHTTP(sw, r.WithContext(ctx))
	case "MKCALENDAR", "MKCOL":
		s.mkcalendar(sw, r)
	case http.MethodOptions:
		sw.Header().Set("DAV", "1, 3, calendar-access")
		sw.Header().Set("Allow", "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT, MKCALENDAR, MKCOL")
		sw.WriteHeader(http.StatusNoContent)
	default:
		s.dav.ServeHTTP(sw, r)
	}
}

func (s *Server) authorized(r *http.Request) bool {
	if s.password == "" {
		return true
	}
	user, pass, ok := r.BasicAuth()
	u1, u2 := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(s.user))
	p1, p2 := sha256.Sum256([]byte(pass)), sha256.Sum256([]byte(s.password))
	return ok && subtle.ConstantTimeCompare(u1[:], u2[:])&subtle.ConstantTimeCompare(p1[:], p2[:]) == 1
}

// put validates the body before go-webdav's handler parses it (its decoder
// can panic or recurse without bound) and hands the raw bytes to the backend.
func (s *Server) put(w http.ResponseWriter, r *http.Request) {
	raw, ok := readBody(w, r)
	if !ok {
		return
	}
	if _, err := parseICS(raw); err != nil {
		http.Error(w, "caldavfs: "+err.Error(), http.StatusBadRequest)
		return
	}
	if r.Header.Get("Content-Type") == "" {
		r.Header.Set("Content-Type", "text/calendar")
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw))
	s.dav.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), rawBodyKey, raw)))
}

func (s *Server) mkcalendar(w http.ResponseWriter, r *http.Request) {
	t := s.resolve(r.URL.Path)
	if t.kind != kindCalendar {
		http.Error(w, "caldavfs: calendars are created as /<user>/<name>/", http.StatusForbidden)
		return
	}
	if err := s.store.makeCalendar(t.cal); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, errExists) {
			status = http.StatusMethodNotAllowed
		}
		http.Error(w, err.Error(), status)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// readBody reads the request's body; when it cannot, it answers 413 and
// returns false.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "caldavfs: reading the body: "+err.Error(), http.StatusRequestEntityTooLarge)
		return nil, false
	}
	return body, true
}

// statusWriter remembers whether a response was started.
type statusWriter struct {
	http.ResponseWriter
	written bool
}

func (w *statusWriter) WriteHeader(code int) {
	w.written = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.written = true
	return w.ResponseWriter.Write(b)
}
