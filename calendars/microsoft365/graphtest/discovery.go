package graphtest

// Discovery follows "OpenID Connect on the Microsoft identity platform" (the
// v2.0 metadata document at {authority}/v2.0/.well-known/openid-configuration,
// whose token_endpoint MSAL posts to) and the instance discovery document
// MSAL reads from {host}/common/discovery/instance?api-version=1.1
// (tenant_discovery_endpoint and metadata aliases). An unknown tenant gets
// the AADSTS90002 error from both, as from the token endpoint.

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// serveLogin routes the identity platform's endpoints.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	tenantName := parts[0]
	rest := strings.Join(parts[1:], "/")
	switch {
	case r.Method == http.MethodPost && rest == "oauth2/v2.0/token":
		s.handleToken(w, r, tenantName)
	case r.Method == http.MethodGet && rest == "discovery/instance":
		s.handleInstanceDiscovery(w, r, tenantName)
	case r.Method == http.MethodGet && (rest == "v2.0/.well-known/openid-configuration"):
		s.handleOpenIDConfig(w, tenantName)
	case r.Method == http.MethodGet && rest == "discovery/v2.0/keys":
		writeJSON(w, 200, map[string]any{"keys": []any{}})
	default:
		graphError(w, 404, "NotFound", "graphtest: no endpoint "+r.Method+" "+r.URL.Path)
	}
}

// knownTenant tells whether name is a tenant; "common" and "organizations"
// are the multi-tenant aliases.
func (s *Server) knownTenant(name string) (id string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch n := strings.ToLower(name); n {
	case "common", "organizations":
		return n, true
	default:
		if t := s.tenants[n]; t != nil {
			return t.id, true
		}
	}
	return "", false
}

func (s *Server) tenantNotFound(w http.ResponseWriter, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aadError(w, aadErr{400, "invalid_tenant", 90002, "Tenant '" + name + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."})
}

func (s *Server) handleOpenIDConfig(w http.ResponseWriter, tenantName string) {
	id, ok := s.knownTenant(tenantName)
	if !ok {
		s.tenantNotFound(w, tenantName)
		return
	}
	base := s.URL + "/" + id
	writeJSON(w, 200, map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                base + "/v2.0",
		"request_uri_parameter_supported":       false,
		"userinfo_endpoint":                     s.URL + "/oidc/userinfo",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"end_session_endpoint":                  base + "/oauth2/v2.0/logout",
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "tid", "oid"},
		"kerberos_endpoint":                     base + "/kerberos",
		"tenant_region_scope":                   "EU",
		"cloud_instance_name":                   hostOf(s.URL),
		"cloud_graph_host_name":                 hostOf(s.URL),
		"msgraph_host":                          hostOf(s.URL),
		"rbac_url":                              s.URL,
	})
}

// handleInstanceDiscovery answers MSAL's instance discovery: the fake's host
// is its own only alias.
func (s *Server) handleInstanceDiscovery(w http.ResponseWriter, r *http.Request, tenantName string) {
	tenantPart := tenantName
	if ep := r.URL.Query().Get("authorization_endpoint"); ep != "" {
		if u, err := url.Parse(ep); err == nil {
			if p := strings.Split(strings.Trim(u.Path, "/"), "/"); len(p) > 0 && p[0] != "" {
				tenantPart = p[0]
			}
		}
	}
	host := hostOf(s.URL)
	writeJSON(w, 200, map[string]any{
		"tenant_discovery_endpoint": s.URL + "/" + tenantPart + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []map[string]any{{"preferred_network": host, "preferred_cache": host,
			"aliases": []string{host}}},
	})
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
