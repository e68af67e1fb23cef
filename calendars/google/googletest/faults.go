package googletest

import (
	"net/http"
	"net/url"
	"strings"
)

// Request is one request the fake received, as RequestLog reports it.
type Request struct {
	// Method is the API method id without the "calendar." prefix
	// ("events.list", "events.patch", ...), "token" for the token endpoint,
	// or "" when no documented method matched the path.
	Method      string
	HTTPMethod  string
	Path        string // escaped URL path
	Query       url.Values
	Header      http.Header
	Body        []byte
	Status      int    // the status the fake answered with
	Subject     string // whom the access token was issued for; "" if none
	SendUpdates string // the sendUpdates query parameter, "" if absent
}

type fault struct {
	status     int
	reason     string
	retryAfter string
}

// FailNext makes the next request to method fail with status and reason,
// and with a Retry-After header when retryAfter is not empty. method is an
// API method id such as "events.list" or "calendar.events.patch", "token"
// for the token endpoint, or "*" for whatever request comes next. Failures
// queue up: two calls fail the next two requests. reason may be empty for
// the usual reason of that status (403 and 429: rateLimitExceeded, 5xx:
// backendError). An injected failure is answered after authentication.
func (s *Server) FailNext(method string, status int, reason, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	method = strings.TrimPrefix(method, "calendar.")
	s.faults[method] = append(s.faults[method], fault{status, reason, retryAfter})
}

// takeFault pops the failure queued for method, if any.
func (s *Server) takeFault(method string) *apiError {
	for _, key := range []string{method, "*"} {
		q := s.faults[key]
		if len(q) == 0 {
			continue
		}
		f := q[0]
		s.faults[key] = q[1:]
		reason, domain, msg := defaultReason(f.status)
		if f.reason != "" {
			reason, domain = f.reason, reasonDomain(f.reason)
		}
		return &apiError{Code: f.status, Reason: reason, Domain: domain, Message: msg, RetryAfter: f.retryAfter}
	}
	return nil
}

// RequestLog returns every request received so far, oldest first.
func (s *Server) RequestLog() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Requests returns the logged requests to one method ("events.patch").
func (s *Server) Requests(method string) []Request {
	var out []Request
	for _, r := range s.RequestLog() {
		if r.Method == strings.TrimPrefix(method, "calendar.") {
			out = append(out, r)
		}
	}
	return out
}

// RequestCount is the number of requests received so far, the token
// endpoint included.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.log)
}

// ResetRequestLog forgets the requests logged so far.
func (s *Server) ResetRequestLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}
