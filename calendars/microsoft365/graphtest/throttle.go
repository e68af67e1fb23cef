package graphtest

// Throttling follows "Microsoft Graph service-specific throttling limits"
// for Outlook: a budget of requests per app ID and mailbox combination in a
// time window (documented as 10,000 requests per 10 minutes); past it the
// service answers 429 with Retry-After (the seconds until the window frees a
// request) and error code ApplicationThrottled. Tests set a small budget
// with SetOutlookLimit; without it the fake does not throttle.

import (
	"net/http"
	"strconv"
	"time"
)

type limitKey struct{ clientID, mailboxID string }

type limiter struct {
	requests int
	window   time.Duration
	seen     map[limitKey][]time.Time
}

// SetOutlookLimit allows each app requests Graph requests per mailbox in
// any window; 0 turns throttling off.
func (s *Server) SetOutlookLimit(requests int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = limiter{requests: requests, window: window, seen: map[limitKey][]time.Time{}}
}

// throttled answers 429 when the app's budget on mb is spent.
func (s *Server) throttled(w http.ResponseWriter, tok IssuedToken, mb *mailbox) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := &s.limit
	if l.requests <= 0 {
		return false
	}
	now := s.now()
	key := limitKey{tok.ClientID, mb.id}
	recent := l.seen[key][:0]
	for _, t := range l.seen[key] {
		if now.Sub(t) < l.window {
			recent = append(recent, t)
		}
	}
	l.seen[key] = recent
	if len(recent) < l.requests {
		l.seen[key] = append(recent, now)
		return false
	}
	wait := max(recent[0].Add(l.window).Sub(now), time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	graphError(w, http.StatusTooManyRequests, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.")
	return true
}
