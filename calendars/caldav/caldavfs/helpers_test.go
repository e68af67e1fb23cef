package caldavfs_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavfs"
)

const (
	user     = "alice"
	password = "s3cret"
)

// event is an object written the way a client might: folded lines and an
// unusual property order, which go-ical would re-encode differently.
func event(uid, summary string) []byte {
	return []byte("BEGIN:VCALENDAR\r\nPRODID:-//oneonone//test//EN\r\nVERSION:2.0\r\n" +
		"BEGIN:VEVENT\r\nUID:" + uid + "\r\nSUMMARY:" + summary + "\r\n" +
		"DTSTART:20250106T100000Z\r\nDURATION:PT30M\r\nRRULE:FREQ=WEEKLY\r\n" +
		"DESCRIPTION:a description long enough to be folded by a client that fo\r\n lds at 75 octets\r\n" +
		"DTSTAMP:20250101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
}

// env is a server on httptest with one calendar, and our client for it.
type env struct {
	srv  *caldavfs.Server
	ts   *httptest.Server
	cli  *caldav.Client
	coll string // calendar URL
	path string // calendar path

	mu     sync.Mutex
	before func(r *http.Request) // runs before the server sees a request
	log    []string              // "METHOD path status"
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv, err := caldavfs.New(t.TempDir(), caldavfs.Options{User: user, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, srv)
}

func serve(t *testing.T, srv *caldavfs.Server) *env {
	t.Helper()
	e := &env{srv: srv}
	e.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		before := e.before
		e.mu.Unlock()
		if before != nil {
			before(r)
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		srv.Handler().ServeHTTP(rec, r)
		e.mu.Lock()
		e.log = append(e.log, r.Method+" "+r.URL.Path+" "+http.StatusText(rec.status))
		e.mu.Unlock()
	}))
	t.Cleanup(e.ts.Close)
	p, err := srv.MakeCalendar("work")
	if err != nil {
		t.Fatal(err)
	}
	e.path, e.coll = p, e.ts.URL+p
	e.cli = e.client(t, e.ts.URL, password)
	return e
}

func (e *env) client(t *testing.T, u, pass string) *caldav.Client {
	t.Helper()
	c, err := caldav.New(u, caldav.Options{Username: user, Password: pass})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) setBefore(f func(r *http.Request)) {
	e.mu.Lock()
	e.before = f
	e.mu.Unlock()
}

func (e *env) takeLog() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	l := e.log
	e.log = nil
	return l
}

// do sends one raw request with the right credentials.
func (e *env) do(t *testing.T, method, p string, hdr map[string]string, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+p, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, password)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

func changes(t *testing.T, e *env, cur caldav.Cursor) (caldav.Changes, caldav.Cursor) {
	t.Helper()
	ch, next, err := e.cli.Changes(ctx(t), e.coll, cur)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	return ch, next
}

func hrefs(ch caldav.Changes) []string {
	var out []string
	for _, o := range ch.Updated {
		out = append(out, o.Href)
	}
	slices.Sort(out)
	return out
}

func want[T comparable](t *testing.T, what string, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func status(err error) int {
	var he *caldav.HTTPError
	if errors.As(err, &he) {
		return he.Status
	}
	return 0
}

// sameBytes fails unless got is exactly what was written.
func sameBytes(t *testing.T, what string, got, wrote []byte) {
	t.Helper()
	if !bytes.Equal(got, wrote) {
		t.Errorf("%s: read back\n%q\nwrote\n%q", what, got, wrote)
	}
}
