package microsoft365

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// stub is a scripted Graph for the client's unit tests: a token endpoint
// that accepts one secret, and handlers by "METHOD /path". The scenarios
// run against the fake in graphtest.
type stub struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	log    []string // "METHOD /path?query" of every Graph request
	tokens int
}

func newStub(t *testing.T) *stub {
	s := &stub{t: t, routes: map[string]http.HandlerFunc{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *stub) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token") {
		s.token(w, r)
		return
	}
	s.mu.Lock()
	s.log = append(s.log, r.Method+" "+r.URL.RequestURI())
	h := s.routes[r.Method+" "+r.URL.Path]
	s.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer tok" {
		http.Error(w, `{"error":{"code":"InvalidAuthenticationToken","message":"no token"}}`, 401)
		return
	}
	if h == nil {
		w.WriteHeader(404)
		fmt.Fprint(w, `{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}}`)
		return
	}
	h(w, r)
}

func (s *stub) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokens++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.PostFormValue("client_secret") != "secret" {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: x","error_codes":[7000215]}`)
		return
	}
	if r.PostFormValue("scope") != graphScope || r.PostFormValue("grant_type") != "client_credentials" {
		w.WriteHeader(400)
		fmt.Fprint(w, `{"error":"invalid_scope","error_description":"AADSTS70011: bad scope"}`)
		return
	}
	fmt.Fprint(w, `{"token_type":"Bearer","expires_in":3599,"access_token":"tok"}`)
}

func (s *stub) handle(route string, h http.HandlerFunc) {
	s.mu.Lock()
	s.routes[route] = h
	s.mu.Unlock()
}

// json answers a fixed JSON body.
func jsonBody(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func (s *stub) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// sleeps records the waits between retries instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (z *sleeps) sleep(ctx context.Context, d time.Duration) error {
	z.mu.Lock()
	z.d = append(z.d, d)
	z.mu.Unlock()
	return ctx.Err()
}

func (s *stub) client(t *testing.T, secret string, z *sleeps) *Client {
	t.Helper()
	if z == nil {
		z = &sleeps{}
	}
	now := func() time.Time { return time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC) }
	c, err := New(Config{User: grace, Tenant: "contoso.onmicrosoft.com", ClientID: "app", ClientSecret: secret,
		Endpoint: s.srv.URL + "/v1.0", LoginEndpoint: s.srv.URL + "/"},
		Options{Budget: NewBudget(1000000, 1000000, now, nil), Now: now, Sleep: z.sleep, Jitter: func() float64 { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
