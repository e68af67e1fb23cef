package graphtest

import "net/http"

// changed is called (with s.mu held) after every change to a calendar.
func (s *Server) changed() {}

func (s *Server) serveSubscriptions(w http.ResponseWriter, r *http.Request, tok IssuedToken, rest []string) {
	graphError(w, 501, "NotImplemented", "graphtest: subscriptions are not implemented yet")
}

// Subscription is a change-notification subscription.
type Subscription struct{ ID string }

// Delivery is one notification POST the fake made.
type Delivery struct{ URL string }
