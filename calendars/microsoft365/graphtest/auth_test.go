package graphtest

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func tokenErr(t *testing.T, srv *Server, tenantName, id, sec string) *oauth2.RetrieveError {
	t.Helper()
	cc := clientcredentials.Config{ClientID: id, ClientSecret: sec, TokenURL: srv.TokenURL(tenantName),
		Scopes: []string{GraphScope}, AuthStyle: oauth2.AuthStyleInParams}
	_, err := cc.Token(t.Context())
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("want a token error, got %v", err)
	}
	return re
}

func TestTokenErrorsNameTheAADSTSCode(t *testing.T) {
	f := setup(t)
	cases := []struct {
		name, tenant, id, secret, code string
		status                         int
		aadsts                         string
	}{
		{"wrong secret", domain, clientID, "nope", "invalid_client", 401, "AADSTS7000215"},
		{"unknown tenant", "fabrikam.onmicrosoft.com", clientID, secret, "invalid_request", 400, "AADSTS90002"},
		{"unknown app", domain, "99999999-0000-0000-0000-000000000000", secret, "unauthorized_client", 400, "AADSTS700016"},
	}
	for _, c := range cases {
		re := tokenErr(t, f.srv, c.tenant, c.id, c.secret)
		if re.Response.StatusCode != c.status || re.ErrorCode != c.code || !strings.HasPrefix(re.ErrorDescription, c.aadsts+":") ||
			!strings.Contains(string(re.Body), `"error_codes":[`+strings.TrimPrefix(c.aadsts, "AADSTS")+`]`) {
			t.Errorf("%s: %d %s %q", c.name, re.Response.StatusCode, re.ErrorCode, re.Body)
		}
	}
}

func TestRevokedSecretKeepsIssuedTokensUntilExpiry(t *testing.T) {
	f := setup(t)
	if status, _, _ := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil); status != 200 {
		t.Fatalf("calendar: %d", status)
	}
	f.srv.RevokeSecret(clientID, secret)
	if status, _, _ := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil); status != 200 {
		t.Errorf("an issued token stopped working at revocation: %d", status)
	}
	if re := tokenErr(t, f.srv, domain, clientID, secret); !strings.HasPrefix(re.ErrorDescription, "AADSTS7000215") {
		t.Errorf("revoked secret: %s", re.ErrorDescription)
	}
	f.srv.ExpireTokens()
	// The client's cached token is now expired at the server, not in its
	// own view: Graph answers 401.
	status, hdr, body := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil)
	if status != 401 || body["error"].(map[string]any)["code"] != "InvalidAuthenticationToken" || hdr.Get("WWW-Authenticate") == "" {
		t.Errorf("expired token: %d %v", status, body)
	}
}

func TestMissingPermissionIsAccessDenied(t *testing.T) {
	f := setup(t)
	f.srv.SetRoles(clientID, CalendarsRead)
	c := &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(
		&oauth2.Token{AccessToken: f.srv.Token(clientID), Expiry: time.Now().Add(time.Hour)})}}
	f.c = c
	if status, _, _ := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil); status != 200 {
		t.Errorf("read with Calendars.Read: %d", status)
	}
	id := f.srv.EventID(grace, f.uid, time.Time{})
	status, _, body := f.do(t, "PATCH", "users/"+grace+"/events/"+id, nil, map[string]any{"subject": "x"})
	if status != 403 || body["error"].(map[string]any)["code"] != "ErrorAccessDenied" {
		t.Errorf("write with Calendars.Read: %d %v", status, body)
	}
	f.srv.SetRoles(clientID)
	f.c.Transport.(*oauth2.Transport).Source = oauth2.StaticTokenSource(
		&oauth2.Token{AccessToken: f.srv.Token(clientID), Expiry: time.Now().Add(time.Hour)})
	if status, _, _ := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil); status != 403 {
		t.Errorf("read without permissions: %d", status)
	}
}

func TestFaultsCarryRetryAfter(t *testing.T) {
	f := setup(t)
	f.srv.InjectFault(Fault{Status: 429, RetryAfter: 3 * time.Second, Times: 2})
	f.srv.InjectFault(Fault{Status: 503, RetryAfter: time.Second, Path: "/calendar"})
	for i, want := range []int{429, 429, 503, 200} {
		status, hdr, _ := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil)
		if status != want || (want != 200 && hdr.Get("Retry-After") == "") {
			t.Errorf("request %d: %d Retry-After %q, want %d", i, status, hdr.Get("Retry-After"), want)
		}
	}
}

func TestAccessPolicyDeniesOneMailbox(t *testing.T) {
	f := setup(t)
	f.srv.DenyMailbox(grace, true)
	status, _, body := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil)
	if status != 403 || body["error"].(map[string]any)["code"] != "ErrorAccessDenied" {
		t.Errorf("denied mailbox: %d %v", status, body)
	}
	if status, _, _ := f.do(t, "GET", "users/"+ada+"/calendar", nil, nil); status != 200 {
		t.Errorf("another mailbox: %d", status)
	}
}
