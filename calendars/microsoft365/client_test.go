package microsoft365

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEndpointsWithAndWithoutSlash(t *testing.T) {
	for _, login := range []string{"https://login.example", "https://login.example/"} {
		if got := tokenURL(login, "contoso.onmicrosoft.com"); got != "https://login.example/contoso.onmicrosoft.com/oauth2/v2.0/token" {
			t.Errorf("token URL from %q: %s", login, got)
		}
	}
	for _, ep := range []string{"https://graph.example/v1.0", "https://graph.example/v1.0/", "https://graph.example/beta/"} {
		c, err := New(Config{User: grace, Tenant: "t", ClientID: "a", ClientSecret: "s", Endpoint: ep}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimSuffix(ep, "/") + "/"; c.base != want {
			t.Errorf("endpoint %q: base %q, want %q (no version added)", ep, c.base, want)
		}
	}
	c, _ := New(Config{User: grace, Tenant: "t", ClientID: "a", ClientSecret: "s"}, Options{})
	if c.base != DefaultEndpoint {
		t.Errorf("default base %q", c.base)
	}
}

func TestNewNamesWhatIsMissing(t *testing.T) {
	for want, cfg := range map[string]Config{
		"user is empty":      {Tenant: "t", ClientID: "a", ClientSecret: "s"},
		"tenant must be":     {User: grace, Tenant: "t/x", ClientID: "a", ClientSecret: "s"},
		"client_id is empty": {User: grace, Tenant: "t", ClientSecret: "s"},
		"client_secret_file": {User: grace, Tenant: "t", ClientID: "a"},
	} {
		if _, err := New(cfg, Options{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}

// TestWrongSecretSaysWhatToDo: AADSTS7000215 is a CredentialsError that
// says to put the secret's value in client_secret_file, and is not
// retried.
func TestWrongSecretSaysWhatToDo(t *testing.T) {
	s := newStub(t)
	s.handle("GET /v1.0/users/grace@contoso.com/calendar", jsonBody(200, `{"id":"cal"}`))
	err := s.client(t, "wrong", nil).Check(context.Background())
	if !errors.Is(err, ErrCredentials) || !strings.Contains(err.Error(), "client_secret_file") ||
		!strings.Contains(err.Error(), "AADSTS7000215") {
		t.Fatalf("got %v", err)
	}
	if s.tokens != 1 {
		t.Errorf("%d token requests; a refused secret is not retried", s.tokens)
	}
	if err := s.client(t, "secret", nil).Check(context.Background()); err != nil {
		t.Fatalf("right secret: %v", err)
	}
}

func TestCheckNamesMissingPermissionAndMailbox(t *testing.T) {
	s := newStub(t)
	s.handle("GET /v1.0/users/grace@contoso.com/calendar",
		jsonBody(403, `{"error":{"code":"ErrorAccessDenied","message":"Access is denied. Check credentials and try again."}}`))
	err := s.client(t, "secret", nil).Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "Calendars.ReadWrite") || !strings.Contains(err.Error(), "admin consent") {
		t.Errorf("403: %v", err)
	}
	s.handle("GET /v1.0/users/grace@contoso.com/calendar", nil)
	err = s.client(t, "secret", nil).Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no mailbox grace@contoso.com") {
		t.Errorf("404: %v", err)
	}
	c, _ := New(Config{User: grace, Tenant: "t", ClientID: "a", ClientSecret: "s", Endpoint: "http://127.0.0.1:1/v1.0",
		LoginEndpoint: "http://127.0.0.1:1"}, Options{MaxAttempts: 1})
	if err := c.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("unreachable: %v", err)
	}
}

// TestThrottledRequestWaitsRetryAfter: 429 and 503 are retried after
// their Retry-After; a Retry-After longer than MaxRetryAfter fails.
func TestThrottledRequestWaitsRetryAfter(t *testing.T) {
	s := newStub(t)
	n := 0
	s.handle("GET /v1.0/users/grace@contoso.com/calendar", func(w http.ResponseWriter, r *http.Request) {
		n++
		switch n {
		case 1:
			w.Header().Set("Retry-After", "7")
			jsonBody(429, `{"error":{"code":"ApplicationThrottled","message":"slow down"}}`)(w, r)
		case 2:
			w.Header().Set("Retry-After", "2")
			jsonBody(503, `{"error":{"code":"ServiceUnavailable","message":"busy"}}`)(w, r)
		default:
			jsonBody(200, `{"id":"cal"}`)(w, r)
		}
	})
	z := &sleeps{}
	if err := s.client(t, "secret", z).Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(z.d) != 2 || z.d[0] != 7*time.Second || z.d[1] != 2*time.Second {
		t.Errorf("waits %v, want [7s 2s]", z.d)
	}
	s.handle("GET /v1.0/users/grace@contoso.com/calendar", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		jsonBody(429, `{"error":{"code":"ApplicationThrottled","message":"slow down"}}`)(w, r)
	})
	if err := s.client(t, "secret", nil).Check(context.Background()); !isStatus(err, 429) {
		t.Errorf("an hour's Retry-After: %v", err)
	}
}

// TestTokenEndpointThrottlingIsRetried: a 503 from the token endpoint is
// waited out like Graph's.
func TestTokenEndpointThrottlingIsRetried(t *testing.T) {
	s := newStub(t)
	s.handle("GET /v1.0/users/grace@contoso.com/calendar", jsonBody(200, `{"id":"cal"}`))
	busy := 1
	inner := s.srv.Config.Handler
	s.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/token") && busy > 0 {
			busy--
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(503)
			return
		}
		inner.ServeHTTP(w, r)
	})
	z := &sleeps{}
	if err := s.client(t, "secret", z).Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(z.d) != 1 || z.d[0] != 3*time.Second {
		t.Errorf("waits %v", z.d)
	}
}

// TestLinksStayOnTheEndpoint: a nextLink to another host is refused
// before our token is sent there.
func TestLinksStayOnTheEndpoint(t *testing.T) {
	s := newStub(t)
	other := newStub(t)
	s.handle(deltaPath, jsonBody(200, `{"value":[],"@odata.nextLink":"`+other.srv.URL+`/v1.0/steal"}`))
	_, _, err := s.client(t, "secret", nil).Changes(context.Background(), grace, Cursor{}, winFrom, winTo)
	if err == nil || !strings.Contains(err.Error(), "leaves the endpoint") || len(other.requests()) > 0 {
		t.Errorf("got %v; the other host saw %v", err, other.requests())
	}
}
