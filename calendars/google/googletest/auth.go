package googletest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Grant types the token endpoint accepts.
const (
	GrantJWTBearer    = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	GrantRefreshToken = "refresh_token"
	grantMinted       = "minted" // Server.Token
)

// accessTokenLifetime is how long issued access tokens stay valid (by Now).
const accessTokenLifetime = time.Hour

// IssuedToken is an access token the fake issued.
type IssuedToken struct {
	AccessToken  string
	Subject      string // the user the token acts as
	Grant        string // GrantJWTBearer, GrantRefreshToken or "minted"
	Scope        string
	RefreshToken string // for GrantRefreshToken
	Expiry       time.Time
	Revoked      bool
}

type authState struct {
	tokens       map[string]*IssuedToken
	issued       []*IssuedToken
	refresh      map[string]string // refresh token -> subject
	revoked      map[string]bool   // refresh tokens answering invalid_grant
	rejected     map[string]bool   // subjects answering invalid_grant
	clientID     string
	clientSecret string
	sa           *serviceAccount
	consent      consentState
}

func (a *authState) init() {
	a.tokens = map[string]*IssuedToken{}
	a.refresh = map[string]string{}
	a.revoked = map[string]bool{}
	a.rejected = map[string]bool{}
	a.consent.codes = map[string]*authCode{}
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) issue(subject, grant, scope, refresh string) *IssuedToken {
	t := &IssuedToken{
		AccessToken: "ya29.fake-" + randomString(24), Subject: subject, Grant: grant,
		Scope: scope, RefreshToken: refresh, Expiry: s.now().Add(accessTokenLifetime),
	}
	s.auth.tokens[t.AccessToken] = t
	s.auth.issued = append(s.auth.issued, t)
	return t
}

// Token mints an access token acting as subject without going through the
// token endpoint, for tests that are not about authentication.
func (s *Server) Token(subject string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue(subject, grantMinted, "https://www.googleapis.com/auth/calendar", "").AccessToken
}

// HTTPClient returns a client that sends a freshly minted access token for
// subject with every request.
func (s *Server) HTTPClient(subject string) *http.Client {
	return &http.Client{Transport: &bearer{token: s.Token(subject), base: http.DefaultTransport}}
}

type bearer struct {
	token string
	base  http.RoundTripper
}

func (b *bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}

// IssuedTokens lists every access token issued so far, oldest first.
func (s *Server) IssuedTokens() []IssuedToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]IssuedToken, len(s.auth.issued))
	for i, t := range s.auth.issued {
		out[i] = *t
	}
	return out
}

// AddRefreshToken registers a refresh token that the token endpoint
// exchanges for access tokens acting as subject. Unregistered refresh tokens
// are answered with invalid_grant.
func (s *Server) AddRefreshToken(refreshToken, subject string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.refresh[refreshToken] = subject
	delete(s.auth.revoked, refreshToken)
}

// RevokeRefreshToken makes the token endpoint answer invalid_grant ("Token
// has been expired or revoked.") for refreshToken, and revokes the access
// tokens issued from it, as revoking access in a Google account does.
func (s *Server) RevokeRefreshToken(refreshToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.revoked[refreshToken] = true
	s.revokeIssued(func(t *IssuedToken) bool { return t.RefreshToken == refreshToken })
}

// RejectSubject makes service-account (JWT bearer) grants acting as subject
// answer invalid_grant, as when the user does not exist or domain-wide
// delegation was withdrawn. Access tokens already issued for subject stop
// working too.
func (s *Server) RejectSubject(subject string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.rejected[subject] = true
	s.revokeIssued(func(t *IssuedToken) bool { return t.Subject == subject })
}

// revokeIssued revokes the access tokens issued that match; s.mu is held.
func (s *Server) revokeIssued(match func(*IssuedToken) bool) {
	for _, t := range s.auth.issued {
		if match(t) {
			t.Revoked = true
		}
	}
}

// SetOAuthClient makes the token endpoint require this client id and
// secret (in the Authorization header or the form) for refresh grants.
// Without it any client is accepted.
func (s *Server) SetOAuthClient(id, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.clientID, s.auth.clientSecret = id, secret
}

// authenticate checks the bearer token of an API request like Google: no
// credentials is 401 "required", an unknown, expired or revoked token is 401
// "authError".
func (s *Server) authenticate(r *http.Request) (string, *apiError) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		tok = r.URL.Query().Get("oauth_token")
	}
	h := http.Header{"Www-Authenticate": {`Bearer realm="https://accounts.google.com/"`}}
	if tok == "" {
		return "", &apiError{Code: 401, Reason: "required", Message: "Login Required.",
			Location: "Authorization", LocationType: "header", Header: h}
	}
	t := s.auth.tokens[tok]
	if t == nil || t.Revoked || !s.now().Before(t.Expiry) {
		return "", &apiError{Code: 401, Reason: "authError", Message: "Invalid Credentials",
			Location: "Authorization", LocationType: "header", Header: h}
	}
	return t.Subject, nil
}

type oauthError struct {
	status int
	code   string
	desc   string
}

func (e *oauthError) response() *response {
	data, _ := json.Marshal(map[string]string{"error": e.code, "error_description": e.desc})
	return jsonResponse(e.status, nil, data)
}

func invalidGrant(desc string) *oauthError { return &oauthError{400, "invalid_grant", desc} }

// serveToken is the OAuth 2.0 token endpoint.
func (s *Server) serveToken(r *http.Request, body []byte, rec *Request) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method != http.MethodPost {
		return (&oauthError{405, "invalid_request", "POST required"}).response()
	}
	if f := s.takeFault("token"); f != nil {
		e := &oauthError{f.Code, f.Reason, f.Message}
		resp := e.response()
		if f.RetryAfter != "" {
			resp.header.Set("Retry-After", f.RetryAfter)
		}
		return resp
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return (&oauthError{400, "invalid_request", "malformed form body"}).response()
	}
	var tok *IssuedToken
	var oerr *oauthError
	var fresh string // a refresh token handed out with this answer
	switch form.Get("grant_type") {
	case GrantJWTBearer:
		tok, oerr = s.jwtGrant(form.Get("assertion"))
	case GrantRefreshToken:
		if tok, oerr = s.refreshGrant(r, form); oerr == nil {
			fresh = s.rotate(tok)
		}
	case GrantAuthorizationCode:
		tok, fresh, oerr = s.codeGrant(r, form)
	default:
		oerr = &oauthError{400, "unsupported_grant_type", "Invalid grant_type: " + form.Get("grant_type")}
	}
	if oerr != nil {
		return oerr.response()
	}
	rec.Subject = tok.Subject
	answer := map[string]any{
		"access_token": tok.AccessToken, "expires_in": int(accessTokenLifetime.Seconds()) - 1,
		"token_type": "Bearer", "scope": tok.Scope,
	}
	if fresh != "" {
		answer["refresh_token"] = fresh
	}
	data, _ := json.Marshal(answer)
	return jsonResponse(200, http.Header{"Cache-Control": {"no-store"}}, data)
}

// checkClient checks the client credentials of a grant, when
// SetOAuthClient registered a client.
func (s *Server) checkClient(r *http.Request, form url.Values) *oauthError {
	if s.auth.clientID == "" {
		return nil
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	if id != s.auth.clientID || secret != s.auth.clientSecret {
		return &oauthError{401, "invalid_client", "The OAuth client was not found."}
	}
	return nil
}

func (s *Server) refreshGrant(r *http.Request, form url.Values) (*IssuedToken, *oauthError) {
	if err := s.checkClient(r, form); err != nil {
		return nil, err
	}
	rt := form.Get("refresh_token")
	subject, ok := s.auth.refresh[rt]
	if s.auth.revoked[rt] {
		return nil, invalidGrant("Token has been expired or revoked.")
	}
	if !ok {
		return nil, invalidGrant("Bad Request")
	}
	if s.auth.rejected[subject] {
		return nil, invalidGrant("Token has been expired or revoked.")
	}
	scope := form.Get("scope")
	if scope == "" {
		scope = "https://www.googleapis.com/auth/calendar"
	}
	return s.issue(subject, GrantRefreshToken, scope, rt), nil
}
