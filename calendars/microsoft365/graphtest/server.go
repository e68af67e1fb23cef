// Package graphtest is a fake of the parts of Microsoft Graph and the
// Microsoft identity platform that oneonone uses: the v2.0 token endpoint
// (client credentials), the calendar API of users' default calendars
// (calendarView/delta, events GET/PATCH) and subscriptions. Tests start it
// with New or NewTLS; no production package imports it.
//
// It follows Microsoft's documentation (learn.microsoft.com), not any client:
//   - "Microsoft identity platform and the OAuth 2.0 client credentials flow":
//     POST {authority}/{tenant}/oauth2/v2.0/token, scope {resource}/.default,
//     answers token_type/expires_in/access_token, errors as error,
//     error_description (starting with the AADSTS code), error_codes.
//   - "Use the Microsoft Graph API": the version is part of the base URL
//     (/v1.0/), errors are {"error":{"code","message","innerError"}}.
//   - "Microsoft Graph throttling guidance": 429 (and 503/504) carry
//     Retry-After in seconds.
//
// The other files name the pages they follow.
package graphtest

import (
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Version is the Graph version prefix the fake serves.
const Version = "v1.0"

// Server is the fake. Create it with New or NewTLS and stop it with Close.
type Server struct {
	// URL is the base of both the login authority and Graph, e.g.
	// https://127.0.0.1:12345 (no trailing slash).
	URL string
	// Now is the clock for token expiry, delta state and stamps. Set it before
	// the first request; it defaults to time.Now.
	Now func() time.Time
	// AllowHTTPNotificationURL lets subscriptions use http:// notification
	// URLs (Graph requires https); for tests that receive on plain HTTP.
	AllowHTTPNotificationURL bool
	// NotificationClient delivers validation requests and change
	// notifications; it defaults to a client with a 10 s timeout, the time
	// Graph documents for the validation answer.
	NotificationClient *http.Client

	ts *httptest.Server
	mu sync.Mutex

	seq        int64 // global change counter
	tenants    map[string]*tenant
	apps       map[string]*app // by client id
	tokens     map[string]*IssuedToken
	boxes      map[string]*mailbox // by lowercase id and address
	boxOrder   []*mailbox
	deltas     deltaStore
	faults     []*Fault
	limit      limiter
	log        []Request
	notes      []Notification
	subs       map[string]*Subscription
	deliveries []Delivery
	wg         sync.WaitGroup
}

// Request is one request the fake answered, for tests that count them.
type Request struct {
	Method  string
	Path    string // without the query
	Query   string
	Prefer  string
	IfMatch string
	Status  int
}

// New starts a fake on a local port with plain HTTP.
func New() *Server { return start(false) }

// NewTLS starts a fake with a self-signed certificate for 127.0.0.1. MSAL
// accepts only https authorities; hand CertPEM to such clients and use
// Client from Go.
func NewTLS() *Server { return start(true) }

func start(tls bool) *Server {
	s := &Server{
		Now:     time.Now,
		tenants: map[string]*tenant{},
		apps:    map[string]*app{},
		tokens:  map[string]*IssuedToken{},
		boxes:   map[string]*mailbox{},
		subs:    map[string]*Subscription{},
	}
	s.deltas.init()
	h := http.HandlerFunc(s.serveHTTP)
	if tls {
		s.ts = httptest.NewTLSServer(h)
	} else {
		s.ts = httptest.NewServer(h)
	}
	s.URL = s.ts.URL
	return s
}

// Close stops the server and waits for notifications under way.
func (s *Server) Close() {
	s.ts.Close()
	s.wg.Wait()
}

// Client is an HTTP client that trusts the fake's certificate.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// CertPEM is the fake's certificate in PEM (nil without TLS).
func (s *Server) CertPEM() []byte {
	if s.ts.Certificate() == nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ts.Certificate().Raw})
}

// CertPool holds the fake's certificate, for TLS clients built elsewhere.
func (s *Server) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	if c := s.ts.Certificate(); c != nil {
		p.AddCert(c)
	}
	return p
}

// GraphEndpoint is the Graph base URL including the version, with a
// trailing slash: the config's `endpoint`.
func (s *Server) GraphEndpoint() string { return s.URL + "/" + Version + "/" }

// LoginEndpoint is the authority host: the config's `login_endpoint`.
func (s *Server) LoginEndpoint() string { return s.URL }

// TokenURL is {login}/{tenant}/oauth2/v2.0/token.
func (s *Server) TokenURL(tenant string) string {
	return s.URL + "/" + tenant + "/oauth2/v2.0/token"
}

// Requests returns the requests answered so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// GraphRequests counts the requests to Graph (not to the login endpoints).
func (s *Server) GraphRequests() int {
	n := 0
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, "/"+Version+"/") {
			n++
		}
	}
	return n
}

func (s *Server) now() time.Time { return s.Now().UTC() }

// serveHTTP records the request, applies injected faults, then routes.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		s.mu.Lock()
		s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Prefer: strings.Join(r.Header.Values("Prefer"), ", "), IfMatch: r.Header.Get("If-Match"),
			Status: rec.status})
		s.mu.Unlock()
	}()
	if s.fault(rec, r) {
		return
	}
	if strings.HasPrefix(r.URL.Path, "/"+Version+"/") {
		s.serveGraph(rec, r, strings.TrimPrefix(r.URL.Path, "/"+Version+"/"))
		return
	}
	s.serveLogin(rec, r)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
