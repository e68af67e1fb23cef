package graphtest

// Faults follow "Microsoft Graph throttling guidance" (429 Too Many Requests
// with Retry-After in seconds; Outlook also answers 503 and 504 under load,
// with Retry-After) and let a test make a request hang (a gateway that never
// answers) until the client gives up.

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is an injected failure for the next matching requests.
type Fault struct {
	Status     int           // 429, 503, 504, …; 0 with Hang only delays
	RetryAfter time.Duration // sent as whole seconds when > 0
	Hang       time.Duration // wait this long (or until the client gives up) first
	Path       string        // requests whose path contains this; "" = any Graph request
	Times      int           // how many requests; 0 = 1
}

// InjectFault adds f; faults apply in the order added.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

// fault applies the first matching fault; true when it answered.
func (s *Server) fault(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	var f Fault
	found := false
	for i, x := range s.faults {
		match := (x.Path == "" && strings.HasPrefix(r.URL.Path, "/"+Version+"/")) ||
			(x.Path != "" && strings.Contains(r.URL.Path, x.Path))
		if match {
			f, found = *x, true
			if x.Times--; x.Times == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			break
		}
	}
	s.mu.Unlock()
	if !found {
		return false
	}
	if f.Hang > 0 {
		select {
		case <-time.After(f.Hang):
		case <-r.Context().Done():
			return true
		}
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
	}
	code := map[int]string{429: "TooManyRequests", 503: "ServiceUnavailable", 504: "GatewayTimeout"}[f.Status]
	if code == "" {
		code = http.StatusText(f.Status)
	}
	msg := "Too many requests. Retry after the time in Retry-After."
	if f.Status != 429 {
		msg = "The service is temporarily unavailable. Try again later."
	}
	graphError(w, f.Status, code, msg)
	return true
}
