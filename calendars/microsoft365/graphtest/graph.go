package graphtest

// Routing, authentication and errors of the Graph side. Follows "Microsoft
// Graph error responses and resource types" (the error body
// {"error":{"code","message","innerError":{"date","request-id",
// "client-request-id"}}}), "Microsoft Graph permissions reference" (app-only
// calendar access needs the application permission Calendars.Read to read
// and Calendars.ReadWrite to write; without it Outlook answers 403
// ErrorAccessDenied "Access is denied. Check credentials and try again."),
// "Limiting application permissions to specific Exchange Online mailboxes"
// (an application access policy makes other mailboxes answer 403
// ErrorAccessDenied) and
// the 401 InvalidAuthenticationToken of an expired or invalid bearer token.

import (
	"net/http"
	"slices"
	"strings"
)

// serveGraph routes a request under /v1.0/.
func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request, path string) {
	tok, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if parts[0] == "subscriptions" {
		s.serveSubscriptions(w, r, tok, parts[1:])
		return
	}
	if len(parts) < 2 || (parts[0] != "users" && parts[0] != "Users") {
		graphError(w, 400, "BadRequest", "Resource not found for the segment '"+parts[0]+"'.")
		return
	}
	write := r.Method != http.MethodGet
	if !hasRole(tok, write) {
		graphError(w, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		return
	}
	mb := s.mailboxFor(tok, parts[1])
	if mb == nil {
		graphError(w, 404, "ErrorInvalidUser", "The requested user '"+parts[1]+"' is invalid.")
		return
	}
	if mb.denied {
		graphError(w, 403, "ErrorAccessDenied", "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.")
		return
	}
	if s.throttled(w, tok, mb) {
		return
	}
	rest := parts[2:]
	if len(rest) > 0 && rest[0] == "calendar" && len(rest) > 1 { // users/{id}/calendar/calendarView/delta
		rest = rest[1:]
	}
	switch {
	case len(rest) == 1 && rest[0] == "calendar" && r.Method == http.MethodGet:
		s.handleCalendar(w, r, mb)
	case len(rest) == 2 && strings.EqualFold(rest[0], "calendarView") && isDelta(rest[1]) && r.Method == http.MethodGet:
		s.handleDelta(w, r, mb)
	case len(rest) == 2 && strings.EqualFold(rest[0], "events"):
		s.serveEvent(w, r, mb, rest[1])
	default:
		graphError(w, 400, "BadRequest", "Resource not found for the segment '"+strings.Join(rest, "/")+"'.")
	}
}

func (s *Server) serveEvent(w http.ResponseWriter, r *http.Request, mb *mailbox, id string) {
	switch r.Method {
	case http.MethodGet:
		s.handleGetEvent(w, r, mb, id)
	case http.MethodPatch:
		s.handlePatchEvent(w, r, mb, id)
	case http.MethodDelete:
		s.handleDeleteEvent(w, r, mb, id)
	default:
		graphError(w, 405, "Request_BadRequest", "The HTTP method '"+r.Method+"' is not allowed.")
	}
}

// authenticate checks the bearer token.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (IssuedToken, bool) {
	h := r.Header.Get("Authorization")
	raw, found := strings.CutPrefix(h, "Bearer ")
	if !found || raw == "" {
		unauthorized(w, "Access token is empty.")
		return IssuedToken{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[raw]
	switch {
	case t == nil:
		unauthorized(w, "IDX14100: JWT is not well formed, there are no dots (.).")
	case t.Revoked:
		unauthorized(w, "Access token validation failure. Invalid audience.")
	case !s.now().Before(t.Expiry):
		unauthorized(w, "Lifetime validation failed, the token is expired.")
	default:
		return *t, true
	}
	return IssuedToken{}, false
}

func unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
	graphError(w, 401, "InvalidAuthenticationToken", msg)
}

func hasRole(t IssuedToken, write bool) bool {
	if slices.Contains(t.Roles, CalendarsReadWrite) {
		return true
	}
	return !write && slices.Contains(t.Roles, CalendarsRead)
}

// mailboxFor finds a mailbox of the token's tenant by id or address.
func (s *Server) mailboxFor(t IssuedToken, key string) *mailbox {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb := s.boxes[strings.ToLower(key)]
	if mb == nil || mb.tenantID != t.TenantID {
		return nil
	}
	return mb
}

// graphError writes Graph's error body.
func graphError(w http.ResponseWriter, status int, code, msg string) {
	id := newID()
	w.Header().Set("request-id", id)
	w.Header().Set("client-request-id", id)
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg,
		"innerError": map[string]any{"request-id": id, "client-request-id": id}}})
}

func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request, mb *mailbox) {
	writeJSON(w, 200, map[string]any{
		"@odata.context":      s.GraphEndpoint() + "$metadata#users('" + mb.id + "')/calendar/$entity",
		"id":                  mb.calendarID,
		"name":                "Calendar",
		"color":               "auto",
		"isDefaultCalendar":   true,
		"canEdit":             true,
		"canShare":            true,
		"canViewPrivateItems": true,
		"owner":               map[string]any{"name": mb.name, "address": mb.address},
	})
}

// isDelta matches the delta function, which OData clients (the Graph SDKs)
// also address as "delta()".
func isDelta(seg string) bool { return seg == "delta" || seg == "delta()" }

// DenyMailbox puts a mailbox outside the app's application access policy:
// Graph answers 403 ErrorAccessDenied for it (false lifts that).
func (s *Server) DenyMailbox(address string, denied bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.boxes[strings.ToLower(address)].denied = denied
}
