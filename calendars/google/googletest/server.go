// Package googletest is an in-process fake of the Google Calendar API v3 and
// of Google's OAuth 2.0 token endpoint, for tests of code that talks to
// Google Calendar through google.golang.org/api/calendar/v3.
//
// The fake follows the API's discovery document (embedded from
// google.golang.org/api, see testdata/README.md): requests are routed by the
// documented paths, unknown or malformed query parameters are rejected, and
// request bodies are checked against the documented schemas. Behaviour the
// documentation describes (sync tokens, cancelled instances, recurring event
// exceptions, etags and If-Match, watch channels) is modelled on it; a
// scenario API changes calendars the way their users would.
//
// Point a client at it with
//
//	calendar.NewService(ctx, option.WithEndpoint(srv.URL+"/calendar/v3/"), option.WithHTTPClient(c))
//
// where c carries an access token from the fake's /token endpoint or from
// Server.Token. All methods are safe for concurrent use.
package googletest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Server is the fake. Create it with New and stop it with Close.
type Server struct {
	// URL is the base URL of the fake, e.g. http://127.0.0.1:12345.
	URL string
	// Now is the clock used for updated/created stamps, token expiry and
	// channel expiry. Replace it before the first request; it defaults to
	// time.Now.
	Now func() time.Time

	ts *httptest.Server
	mu sync.Mutex

	seq      int64 // global change counter; every stored write increments it
	cals     map[string]*calendarState
	calOrder []string
	html     bool // SetHTMLDescriptions
	auth     authState
	syncs    syncState
	channels map[string]*channel
	faults   map[string][]fault
	log      []Request
}

// New starts a fake on a local port.
func New() *Server {
	s := &Server{
		Now:      time.Now,
		cals:     map[string]*calendarState{},
		channels: map[string]*channel{},
		faults:   map[string][]fault{},
	}
	s.auth.init()
	s.syncs.init()
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.ts.URL
	return s
}

// Close shuts the HTTP server down.
func (s *Server) Close() { s.ts.Close() }

// Endpoint is the API base URL to pass to option.WithEndpoint.
func (s *Server) Endpoint() string { return s.URL + "/calendar/v3/" }

// TokenURL is the OAuth 2.0 token endpoint of the fake.
func (s *Server) TokenURL() string { return s.URL + "/token" }

func (s *Server) now() time.Time { return s.Now().UTC() }

// response is a complete answer; it is logged before it is written so that
// RequestLog already holds a request when the client sees its answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResponse(status int, h http.Header, body []byte) *response {
	if h == nil {
		h = http.Header{}
	}
	h.Set("Content-Type", "application/json; charset=UTF-8")
	return &response{status: status, header: h, body: body}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	rec := Request{
		HTTPMethod: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: body, SendUpdates: r.URL.Query().Get("sendUpdates"),
	}
	var resp *response
	var after func()
	switch {
	case r.URL.Path == "/token":
		rec.Method = "token"
		resp = s.serveToken(r, body, &rec)
	case r.URL.Path == "/o/oauth2/auth":
		resp = s.serveAuthorize(r, &rec)
	case strings.HasPrefix(r.URL.Path, loadDiscovery().BasePath):
		resp, after = s.serveAPI(r, body, &rec)
	default:
		resp = notFound().response()
	}
	rec.Status = resp.status
	s.mu.Lock()
	s.log = append(s.log, rec)
	s.mu.Unlock()
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body)
	if after != nil {
		after()
	}
}

// call is one API request being handled.
type call struct {
	r       *http.Request
	method  *discMethod
	params  map[string]string // path parameters
	body    []byte
	subject string // who the access token was issued for
	after   func() // runs after the response is written, without the lock
	status  int    // 0 means 200
	header  http.Header
}

func (c *call) q(name string) string { return c.r.URL.Query().Get(name) }

type handler func(s *Server, c *call) (any, *apiError)

var handlers = map[string]handler{
	"events.list":       (*Server).eventsList,
	"events.instances":  (*Server).eventsInstances,
	"events.get":        (*Server).eventsGet,
	"events.insert":     (*Server).eventsInsert,
	"events.patch":      (*Server).eventsPatch,
	"events.update":     (*Server).eventsUpdate,
	"events.delete":     (*Server).eventsDelete,
	"events.watch":      (*Server).eventsWatch,
	"channels.stop":     (*Server).channelsStop,
	"calendarList.list": (*Server).calendarListList,
}

func (s *Server) serveAPI(r *http.Request, body []byte, rec *Request) (*response, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := loadDiscovery()
	m, params := d.route(r.Method, r.URL.EscapedPath())
	if m == nil {
		return notFound().response(), nil
	}
	rec.Method = strings.TrimPrefix(m.ID, "calendar.")
	subject, err := s.authenticate(r)
	if err != nil {
		return err.response(), nil
	}
	rec.Subject = subject
	if err := s.takeFault(rec.Method); err != nil {
		return err.response(), nil
	}
	if err := d.checkQuery(m, r.URL.Query()); err != nil {
		return err.response(), nil
	}
	h := handlers[rec.Method]
	if h == nil {
		return (&apiError{Code: 501, Reason: "notImplemented",
			Message: "googletest: " + m.ID + " is not implemented by the fake"}).response(), nil
	}
	c := &call{r: r, method: m, params: params, body: body, subject: subject}
	out, err := h(s, c)
	if err != nil {
		return err.response(), nil
	}
	return c.encode(out), c.after
}

func (c *call) encode(out any) *response {
	if c.status == http.StatusNoContent || c.status == http.StatusNotModified {
		return &response{status: c.status, header: c.header}
	}
	data, _ := json.Marshal(out)
	if c.q("prettyPrint") != "false" {
		var buf bytes.Buffer
		if json.Indent(&buf, data, "", " ") == nil {
			data = buf.Bytes()
		}
	}
	status := c.status
	if status == 0 {
		status = http.StatusOK
	}
	return jsonResponse(status, c.header, data)
}
