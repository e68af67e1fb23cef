package web

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The pair pages under the same rules as the prep pages (security_test.go):
// headers on every response, cross-origin POSTs refused, GET and HEAD
// change nothing, unknown tokens rate-limited.

func TestPairCrossOriginRotateIsRefused(t *testing.T) {
	for _, c := range []struct{ name, origin, site string }{
		{"cross-site", "https://evil.example", "cross-site"},
		{"same-site subdomain", "https://evil.1on1.example.com", "same-site"},
		{"old browser, other origin", "https://evil.example", ""},
		{"same-origin claimed, other Origin", "https://evil.example", "same-origin"},
	} {
		pairs := newFakePairs()
		_, mk := newPairServer(t, pairs)
		w := do(mk().handler(), http.MethodPost, "/pair/"+pairToken+"/rotate", "", "Origin", c.origin, "Sec-Fetch-Site", c.site)
		if w.Code != http.StatusForbidden || pairs.rotations() != 0 {
			t.Errorf("%s: %d, %d rotations; want 403 and none", c.name, w.Code, pairs.rotations())
		}
		checkSecurityHeaders(t, c.name, w.Header())
	}
}

func TestPairHeadersOnEveryResponse(t *testing.T) {
	pairs := newFakePairs()
	_, mk := newPairServer(t, pairs, func(o *Options) { o.RateLimit = RateLimit{PerMinute: 1, Burst: 1} })
	h := mk().handler()
	for _, c := range []struct {
		method, path string
		code         int
	}{
		{"GET", "/pair/" + pairToken, 200},
		{"HEAD", "/pair/" + pairToken, 200},
		{"GET", "/pair/" + pairToken + "/export.json", 200},
		{"GET", "/pair/" + pairToken + "/export.csv", 200},
		{"GET", "/pair/" + pairToken + "/export.md", 200},
		{"GET", "/pair/" + pairToken + "/rotate", 200},
		{"HEAD", "/pair/" + pairToken + "/rotate", 200},
		{"POST", "/pair/" + pairToken, 405},
		{"DELETE", "/pair/" + pairToken + "/export.json", 405},
		{"PUT", "/pair/" + pairToken + "/rotate", 405},
		{"GET", "/pair/" + pairToken + "/nothing", 404},
		{"GET", "/pair/unknown", 404},
		{"GET", "/pair/unknown-again", 429}, // the bucket holds 1
	} {
		w := do(h, c.method, c.path, "")
		if w.Code != c.code {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, w.Code, c.code)
		}
		checkSecurityHeaders(t, c.method+" "+c.path, w.Header())
	}
	if pairs.rotations() != 0 {
		t.Errorf("GET and HEAD rotated the link %d times", pairs.rotations())
	}
}

func TestPairRateLimitOnUnknownLinks(t *testing.T) {
	now := testNow
	pairs := newFakePairs()
	_, mk := newPairServer(t, pairs, func(o *Options) { o.Now = func() time.Time { return now } })
	h := mk().handler()
	get := func(path string) int { return serve(h, httptestRequest("GET", path, "192.0.2.1:1")).Code }
	for range 50 { // valid links never count
		if c := get("/pair/" + pairToken); c != 200 {
			t.Fatalf("valid pair link: %d", c)
		}
	}
	for i := range 20 {
		if c := get("/pair/guess" + string(rune('a'+i))); c != 404 {
			t.Fatalf("guess %d: %d, want 404", i, c)
		}
	}
	// The budget is shared with the prep links: guessing there or here is
	// the same guessing.
	if c := get("/p/guess-u"); c != 429 {
		t.Errorf("a prep link guess after 20 pair guesses: %d, want 429", c)
	}
	r := httptestRequest("POST", "/pair/guess-v/rotate", "192.0.2.1:1")
	r.Header.Set("Origin", testPublic)
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if w := serve(h, r); w.Code != 429 {
		t.Errorf("a rotate of a guess when out of tokens: %d", w.Code)
	}
	if c := get("/pair/" + pairToken + "/export.json"); c != 200 {
		t.Errorf("a valid link from a blocked client: %d, want 200: a limit never blocks a valid link", c)
	}
}

// The pair token is never logged, as the prep token is not.
func TestPairTokenNeverLogged(t *testing.T) {
	var logs strings.Builder
	pairs := newFakePairs()
	_, mk := newPairServer(t, pairs, func(o *Options) { o.Logger = newTextLogger(&logs) })
	h := mk().handler()
	do(h, "POST", "/pair/"+pairToken+"/rotate", "", "Origin", "https://evil.example")
	do(h, "DELETE", "/pair/"+pairToken, "")
	if logs.Len() == 0 || strings.Contains(logs.String(), pairToken) {
		t.Errorf("the log is empty or holds the token:\n%s", logs.String())
	}
}
