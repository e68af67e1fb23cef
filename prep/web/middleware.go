package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
)

// contentSecurityPolicy allows nothing but our one inline stylesheet
// (by its hash, so pages stay byte-for-byte reproducible) and posting
// forms back to ourselves.
var contentSecurityPolicy = "default-src 'none'; style-src '" + styleHash + "'; " +
	"form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// secureHeaders sets the headers of DESIGN.md "Security" before anything
// else runs, so that every response has them: pages, redirects, errors,
// 404s, 405s, 429s and recovered panics alike.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// The token is in the URL: no referrer may carry it elsewhere,
		// and no cache (shared or the browser's) may keep the page.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY") // frame-ancestors for browsers that predate it
		next.ServeHTTP(w, r)
	})
}

// limitBody bounds every request body; reading past the bound fails with
// *http.MaxBytesError, which becomes a 413 page.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panicking handler into a plain 500 page and one
// log line with the stack. The stack goes to the log only, never to the
// page.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &watchWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving a prep page", logKeyRoute, route(r),
				logKeyErr, fmt.Sprint(v), logKeyStack, string(debug.Stack()))
			if rw.wrote {
				// Part of a page is out: all we can do is cut it short.
				panic(http.ErrAbortHandler)
			}
			w.Header().Del("Location")
			s.fail(w, r, errPanic)
		}()
		next.ServeHTTP(rw, r)
	})
}

// watchWriter records whether a response has started.
type watchWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *watchWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *watchWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *watchWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
