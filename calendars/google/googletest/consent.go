package googletest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"time"
)

// GrantAuthorizationCode is the grant type of the OAuth 2.0 web flow.
const GrantAuthorizationCode = "authorization_code"

// authCodeLifetime is how long an authorization code can be exchanged.
const authCodeLifetime = 10 * time.Minute

// authCode is an authorization code handed out by the consent endpoint.
type authCode struct {
	subject, clientID, redirect, scope string
	challenge, method                  string // PKCE (RFC 7636)
	expiry                             time.Time
}

// consentState is the part of authState the web flow needs.
type consentState struct {
	user   string // SetConsent; "" denies
	codes  map[string]*authCode
	rotate bool // SetRefreshTokenRotation
}

// AuthURL is the fake's authorization (consent) endpoint, Google's
// https://accounts.google.com/o/oauth2/auth.
func (s *Server) AuthURL() string { return s.URL + "/o/oauth2/auth" }

// SetConsent makes the authorization endpoint act as if email had signed
// in and clicked "Allow": it redirects straight back to the client's
// redirect_uri with a code. With "" it redirects with
// error=access_denied, as when the user clicks "Cancel".
func (s *Server) SetConsent(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.consent.user = email
}

// SetRefreshTokenRotation makes every refresh grant answer with a new
// refresh token and revoke the one it was given (strict rotation, as
// OAuth 2.1 recommends for public clients). Google itself keeps refresh
// tokens, but clients must store a new one when it comes.
func (s *Server) SetRefreshTokenRotation(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.consent.rotate = on
}

// serveAuthorize is the consent endpoint: it checks the request as Google
// does, then either redirects back with a code or shows an error page for
// requests that cannot be redirected safely.
func (s *Server) serveAuthorize(r *http.Request, rec *Request) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Method = "authorize"
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case r.Method != http.MethodGet:
		return errorPage(http.StatusMethodNotAllowed, "GET required")
	case err != nil || !redirect.IsAbs():
		return errorPage(http.StatusBadRequest, "Error 400: invalid_request — missing or relative redirect_uri")
	case s.auth.clientID != "" && q.Get("client_id") != s.auth.clientID:
		return errorPage(http.StatusUnauthorized, "Error 401: invalid_client — The OAuth client was not found.")
	}
	back := url.Values{}
	if st := q.Get("state"); st != "" {
		back.Set("state", st)
	}
	method := q.Get("code_challenge_method")
	switch {
	case q.Get("response_type") != "code":
		back.Set("error", "unsupported_response_type")
	case q.Get("scope") == "":
		back.Set("error", "invalid_scope")
	case q.Get("code_challenge") != "" && method != "S256" && method != "plain" && method != "":
		back.Set("error", "invalid_request")
	case s.auth.consent.user == "":
		back.Set("error", "access_denied")
	default:
		code := "4/fake-" + randomString(24)
		s.auth.consent.codes[code] = &authCode{subject: s.auth.consent.user, clientID: q.Get("client_id"),
			redirect: q.Get("redirect_uri"), scope: q.Get("scope"), challenge: q.Get("code_challenge"),
			method: method, expiry: s.now().Add(authCodeLifetime)}
		back.Set("code", code)
		back.Set("scope", q.Get("scope"))
		rec.Subject = s.auth.consent.user
	}
	redirect.RawQuery = back.Encode()
	return &response{status: http.StatusFound, header: http.Header{"Location": {redirect.String()}}}
}

func errorPage(status int, msg string) *response {
	return &response{status: status, header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}},
		body: []byte(msg + "\n")}
}

// codeGrant exchanges an authorization code: the code is single-use,
// bound to its client and redirect_uri, and to the PKCE challenge.
func (s *Server) codeGrant(r *http.Request, form url.Values) (*IssuedToken, string, *oauthError) {
	if err := s.checkClient(r, form); err != nil {
		return nil, "", err
	}
	code := form.Get("code")
	ac := s.auth.consent.codes[code]
	delete(s.auth.consent.codes, code)
	switch {
	case ac == nil || !s.now().Before(ac.expiry):
		return nil, "", invalidGrant("Malformed auth code.")
	case ac.redirect != form.Get("redirect_uri"):
		return nil, "", &oauthError{400, "redirect_uri_mismatch", "Bad Request"}
	case ac.challenge != "" && !pkceMatches(ac, form.Get("code_verifier")):
		return nil, "", invalidGrant("Invalid code verifier.")
	}
	rt := "1//fake-" + randomString(32)
	s.auth.refresh[rt] = ac.subject
	return s.issue(ac.subject, GrantAuthorizationCode, ac.scope, rt), rt, nil
}

func pkceMatches(ac *authCode, verifier string) bool {
	if verifier == "" {
		return false
	}
	want := verifier
	if ac.method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(ac.challenge)) == 1
}

// rotate hands out a new refresh token in place of the one tok was issued
// from, when rotation is on.
func (s *Server) rotate(tok *IssuedToken) string {
	if !s.auth.consent.rotate || tok.RefreshToken == "" {
		return ""
	}
	old := tok.RefreshToken
	next := "1//fake-" + randomString(32)
	s.auth.refresh[next] = s.auth.refresh[old]
	s.auth.revoked[old] = true
	tok.RefreshToken = next
	return next
}
