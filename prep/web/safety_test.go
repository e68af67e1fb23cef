package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Mail scanners open every link in a message, some many times, with GET
// and HEAD: none of that may change anything.
func TestGetAndHeadChangeNothing(t *testing.T) {
	fake := newFake()
	h := newTestServer(t, fake, func(o *Options) { o.RateLimit.PerMinute = -1 })
	var paths []string
	for _, tok := range []string{testToken, expiredToken, "unknown-token", "bad%20token"} {
		for _, suffix := range []string{"", "/pause", "/resume", "/unsubscribe", "?n=saved", "/pause?List-Unsubscribe=One-Click"} {
			paths = append(paths, "/p/"+tok+suffix)
		}
	}
	paths = append(paths, "/", "/p/", "/p/"+testToken+"/other", "/healthz")
	for _, state := range []string{"editable", "paused", "read-only"} {
		switch state {
		case "paused":
			fake.form.Paused = true
		case "read-only":
			fake.setReadOnly("Agenda")
		}
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			for _, p := range paths {
				for range 100 {
					w := do(h, method, p, "")
					if w.Code >= 500 {
						t.Fatalf("%s %s: %d", method, p, w.Code)
					}
				}
			}
		}
		if n := fake.mutations(); n != 0 {
			t.Fatalf("%s: GET and HEAD made %d changing calls (saves %d, pauses %d, resumes %d)",
				state, n, fake.saves, fake.pauses, fake.resumes)
		}
	}
	if fake.opens == 0 {
		t.Fatal("the pages never asked the service: the test proves nothing")
	}
}

// HEAD gets the headers of GET without a body (through a real server:
// the recorder would keep the body the server discards).
func TestHeadHasNoBody(t *testing.T) {
	srv := httptest.NewServer(newTestServer(t, newFake()))
	defer srv.Close()
	get, err := http.Get(srv.URL + "/p/" + testToken)
	if err != nil {
		t.Fatal(err)
	}
	get.Body.Close()
	head, err := http.Head(srv.URL + "/p/" + testToken)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(head.Body)
	head.Body.Close()
	if head.StatusCode != http.StatusOK || len(body) != 0 {
		t.Fatalf("HEAD: %d with %d bytes", head.StatusCode, len(body))
	}
	if g, h := get.Header.Get("Content-Length"), head.Header.Get("Content-Length"); g != h || g == "" {
		t.Errorf("Content-Length: GET %q, HEAD %q", g, h)
	}
}
