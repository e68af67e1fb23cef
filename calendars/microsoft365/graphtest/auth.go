package graphtest

// The token endpoint follows "Microsoft identity platform and the OAuth 2.0
// client credentials flow" (v2.0): POST {login}/{tenant}/oauth2/v2.0/token,
// form-encoded grant_type=client_credentials, client_id, client_secret (in
// the body or as HTTP Basic), scope=https://graph.microsoft.com/.default.
// Success: {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,
// "access_token":…}. Errors: {"error","error_description","error_codes",
// "timestamp","trace_id","correlation_id","error_uri"} where the description
// starts with the AADSTS code ("Microsoft Entra authentication and
// authorization error codes"):
//   - AADSTS90002 tenant not found (400 invalid_request)
//   - AADSTS700016 application not found in the directory (400 unauthorized_client)
//   - AADSTS7000215 invalid client secret (401 invalid_client)
//   - AADSTS7000222 client secret expired (401 invalid_client)
//   - AADSTS7000216 no client secret (401 invalid_client)
//   - AADSTS1002012 scope without /.default in a client credentials flow (400 invalid_scope)
//   - AADSTS70003 unsupported grant type (400 unsupported_grant_type)
//
// An access token stays valid until it expires, even when the secret that
// obtained it is revoked (revocation stops new tokens); RevokeTokens and
// ExpireTokens make Graph answer 401 for tokens already issued.

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// GraphScope is the scope of an app-only token for Graph.
const GraphScope = "https://graph.microsoft.com/.default"

// TokenLifetime is how long issued access tokens stay valid.
const TokenLifetime = time.Hour

// Application permissions (app roles) an app can be granted.
const (
	CalendarsRead      = "Calendars.Read"
	CalendarsReadWrite = "Calendars.ReadWrite"
)

type tenant struct {
	id, domain, name string
}

type app struct {
	clientID string
	tenantID string
	secrets  map[string]secretState
	roles    []string
}

type secretState int

const (
	secretValid secretState = iota
	secretRevoked
	secretExpired
)

// IssuedToken is an access token the fake issued.
type IssuedToken struct {
	AccessToken string
	ClientID    string
	TenantID    string
	Roles       []string
	Expiry      time.Time
	Revoked     bool
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// AddTenant registers a tenant by its domain (e.g. contoso.onmicrosoft.com)
// and returns its id (a GUID); requests may name it by either.
func (s *Server) AddTenant(domain string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &tenant{id: newID(), domain: strings.ToLower(domain), name: strings.Split(domain, ".")[0]}
	s.tenants[t.id] = t
	s.tenants[t.domain] = t
	return t.id
}

// AddApp registers an app in a tenant (id or domain) with one client secret
// and the application permissions it was granted (CalendarsReadWrite, …).
func (s *Server) AddApp(tenantName, clientID, secret string, roles ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[strings.ToLower(tenantName)]
	if t == nil {
		panic("graphtest: AddApp: no tenant " + tenantName)
	}
	s.apps[clientID] = &app{clientID: clientID, tenantID: t.id,
		secrets: map[string]secretState{secret: secretValid}, roles: roles}
}

// AddSecret adds another valid secret to an app.
func (s *Server) AddSecret(clientID, secret string) { s.setSecret(clientID, secret, secretValid) }

// RevokeSecret deletes a secret: new token requests with it fail with
// AADSTS7000215; tokens already issued stay valid until they expire.
func (s *Server) RevokeSecret(clientID, secret string) { s.setSecret(clientID, secret, secretRevoked) }

// ExpireSecret makes a secret answer AADSTS7000222 (expired).
func (s *Server) ExpireSecret(clientID, secret string) { s.setSecret(clientID, secret, secretExpired) }

func (s *Server) setSecret(clientID, secret string, st secretState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[clientID]
	if a == nil {
		panic("graphtest: no app " + clientID)
	}
	a.secrets[secret] = st
}

// SetRoles replaces an app's application permissions; tokens issued later
// carry them (a token keeps the roles it was issued with).
func (s *Server) SetRoles(clientID string, roles ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apps[clientID].roles = roles
}

// RevokeTokens makes every issued token answer 401 at Graph.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.Revoked = true
	}
}

// ExpireTokens moves every issued token's expiry to now.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.Expiry = s.now()
	}
}

// IssuedTokens lists the tokens issued so far.
func (s *Server) IssuedTokens() []IssuedToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []IssuedToken
	for _, t := range s.tokens {
		out = append(out, *t)
	}
	return out
}

// Token issues an access token directly, for tests that skip the token
// endpoint.
func (s *Server) Token(clientID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[clientID]
	if a == nil {
		panic("graphtest: no app " + clientID)
	}
	return s.issue(a).AccessToken
}

func (s *Server) issue(a *app) *IssuedToken {
	b := make([]byte, 32)
	rand.Read(b)
	t := &IssuedToken{AccessToken: "eyJ0eXAiOiJKV1QiLCJmYWtlIjoiZ3JhcGh0ZXN0In0." + hex.EncodeToString(b),
		ClientID: a.clientID, TenantID: a.tenantID, Roles: append([]string(nil), a.roles...),
		Expiry: s.now().Add(TokenLifetime)}
	s.tokens[t.AccessToken] = t
	return t
}

// handleToken answers POST /{tenant}/oauth2/v2.0/token.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request, tenantName string) {
	if err := r.ParseForm(); err != nil {
		s.aadError(w, aadErr{400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, fail := s.checkTokenRequest(r, tenantName)
	if fail != nil {
		s.aadError(w, *fail)
		return
	}
	tok := s.issue(a)
	secs := int(TokenLifetime/time.Second) - 1
	writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": secs,
		"ext_expires_in": secs, "access_token": tok.AccessToken})
}

// aadErr is an identity platform error: HTTP status, OAuth error code,
// AADSTS number and message.
type aadErr struct {
	status int
	code   string
	aadsts int
	msg    string
}

// checkTokenRequest finds the app a client credentials request
// authenticates as, or the error the identity platform answers.
func (s *Server) checkTokenRequest(r *http.Request, tenantName string) (*app, *aadErr) {
	t := s.tenants[strings.ToLower(tenantName)]
	if t == nil {
		return nil, &aadErr{400, "invalid_request", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", tenantName)}
	}
	if g := r.PostForm.Get("grant_type"); g != "client_credentials" {
		return nil, &aadErr{400, "unsupported_grant_type", 70003, fmt.Sprintf("The app requested an unsupported grant type '%s'.", g)}
	}
	clientID, secret, basic := r.BasicAuth()
	if !basic {
		clientID, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	a := s.apps[clientID]
	switch {
	case a == nil || a.tenantID != t.id:
		return nil, &aadErr{400, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", clientID, t.name)}
	case secret == "":
		return nil, &aadErr{401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."}
	default:
		st, known := a.secrets[secret]
		if !known || st == secretRevoked {
			return nil, &aadErr{401, "invalid_client", 7000215, fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", clientID)}
		}
		if st == secretExpired {
			return nil, &aadErr{401, "invalid_client", 7000222, fmt.Sprintf("The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app.", clientID)}
		}
	}
	if scope := r.PostForm.Get("scope"); !strings.HasSuffix(scope, "/.default") {
		return nil, &aadErr{400, "invalid_scope", 1002012, fmt.Sprintf("The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope)}
	}
	return a, nil
}

// aadError writes the identity platform's error shape. Callers hold s.mu.
func (s *Server) aadError(w http.ResponseWriter, e aadErr) {
	trace, corr := newID(), newID()
	ts := s.now().Format("2006-01-02 15:04:05Z")
	desc := fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s", e.aadsts, e.msg, trace, corr, ts)
	writeJSON(w, e.status, map[string]any{"error": e.code, "error_description": desc,
		"error_codes": []int{e.aadsts}, "timestamp": ts, "trace_id": trace, "correlation_id": corr,
		"error_uri": fmt.Sprintf("%s/error?code=%d", s.URL, e.aadsts)})
}
