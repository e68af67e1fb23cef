// Package caldavtest runs real CalDAV servers (Radicale, Xandikos) for tests,
// each on 127.0.0.1 in a temporary directory, behind a small counting proxy
// so that a test can see how many requests a client made and so that the
// server keeps its URL across Restart.
package caldavtest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The user every server has.
const (
	DefaultUser     = "test"
	DefaultPassword = "testpass"
)

// User is an account on a server (Radicale only: Xandikos has no auth).
type User struct{ Name, Password string }

// Request is one request that went through the proxy.
type Request struct {
	Method string
	Path   string
	Status int
}

// Server is a running CalDAV server.
type Server struct {
	URL  string // http://127.0.0.1:PORT, stable across Restart
	Dir  string // data directory, kept across Restart
	Kind string // "radicale" or "xandikos"

	users   map[string]string
	command func(addr string) (*exec.Cmd, error)
	proxy   *httptest.Server
	client  *http.Client

	mu       sync.Mutex
	backend  *url.URL
	cmd      *exec.Cmd
	exited   chan struct{}
	requests []Request
}

// start runs the server behind a fresh proxy and registers its cleanup.
func (s *Server) start(t testing.TB) {
	t.Helper()
	s.client = &http.Client{Timeout: 30 * time.Second}
	s.proxy = httptest.NewServer(s.counting(&httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			s.mu.Lock()
			target := s.backend
			s.mu.Unlock()
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host // servers build hrefs from Host
		},
		Transport:    &http.Transport{MaxIdleConnsPerHost: 16},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(http.StatusBadGateway) },
	}))
	s.URL = s.proxy.URL
	t.Cleanup(func() {
		s.Stop()
		s.proxy.Close()
	})
	s.launch(t)
}

// launch starts the server process on a free port and waits until it answers.
func (s *Server) launch(t testing.TB) {
	t.Helper()
	addr := freeAddr(t)
	logf, err := os.OpenFile(filepath.Join(s.Dir, "server.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatalf("caldavtest: %v", err)
	}
	defer logf.Close()
	cmd, err := s.command(addr)
	if err != nil {
		t.Fatalf("caldavtest: %v", err)
	}
	cmd.Dir, cmd.Stdout, cmd.Stderr = s.Dir, logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("caldavtest: start %s: %v", s.Kind, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s.mu.Lock()
	s.cmd, s.exited, s.backend = cmd, exited, &url.URL{Scheme: "http", Host: addr}
	s.mu.Unlock()
	if err := waitReady(addr, exited); err != nil {
		s.Stop()
		t.Fatalf("caldavtest: %s did not start: %v\n%s", s.Kind, err, s.logTail())
	}
}

func waitReady(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(20 * time.Second)
	c := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("the process exited")
		default:
		}
		if resp, err := c.Get("http://" + addr + "/"); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("no answer within 20s")
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("caldavtest: %v", err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Stop stops the server process (SIGTERM, then kill after 5 s). The proxy
// keeps running and answers 502 until Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// Restart stops the server and starts it again with the same data; its URL
// does not change.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.launch(t)
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "server.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return strings.TrimSpace(string(b))
}

// Requests returns the requests made through the proxy since the start or
// the last ResetRequests.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests forgets the requests counted so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}

func (s *Server) counting(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Status: sw.status})
		s.mu.Unlock()
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) String() string { return fmt.Sprintf("%s at %s", s.Kind, s.URL) }
