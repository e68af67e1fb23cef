package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// wantHeaders are DESIGN.md "Security"'s headers, on every response.
func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, want := range map[string]string{
		"Referrer-Policy":        "no-referrer",
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "style-src 'sha256-", "form-action 'self'",
		"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: CSP %q lacks %q", what, csp, d)
		}
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	body := url.Values{"a.topics": {"forged"}}.Encode()
	for _, c := range []struct{ name, origin, site string }{
		{"cross-site", "https://evil.example", "cross-site"},
		{"same-site subdomain", "https://evil.1on1.example.com", "same-site"},
		{"old browser, other origin", "https://evil.example", ""},
		{"old browser, null origin", "null", ""},
		{"same-origin claimed, other Origin", "https://evil.example", "same-origin"},
		{"http of the public host", "http://1on1.example.com", "same-origin"},
	} {
		for _, path := range []string{"", "/pause", "/resume", "/unsubscribe"} {
			fake := newFake()
			h := newTestServer(t, fake)
			b := body
			if path == "/unsubscribe" {
				b = "List-Unsubscribe=One-Click"
			}
			w := do(h, http.MethodPost, "/p/"+testToken+path, b, "Origin", c.origin, "Sec-Fetch-Site", c.site)
			if w.Code != http.StatusForbidden {
				t.Errorf("%s, POST %s: %d, want 403", c.name, path, w.Code)
			}
			if fake.mutations() != 0 {
				t.Errorf("%s, POST %s: the service was called to change something", c.name, path)
			}
			checkSecurityHeaders(t, c.name, w.Header())
		}
	}
}

func TestSameOriginPostsPass(t *testing.T) {
	for _, c := range []struct{ name, origin, site string }{
		{"modern browser", testPublic, "same-origin"},
		{"no-referrer policy sends Origin null", "null", "same-origin"},
		{"old browser", testPublic, ""},
		{"public URL port spelled out", "https://1on1.example.com", "same-origin"},
		{"no browser headers (a mail provider's one-click POST)", "", ""},
	} {
		fake := newFake()
		h := newTestServer(t, fake, func(o *Options) { o.PublicURL = "https://1ON1.example.com:443/" })
		w := do(h, http.MethodPost, "/p/"+testToken, "a.topics=ok", "Origin", c.origin, "Sec-Fetch-Site", c.site)
		if w.Code != http.StatusSeeOther || fake.saves != 1 {
			t.Errorf("%s: %d, %d saves; want 303 and a save", c.name, w.Code, fake.saves)
		}
	}
}

// Every response has the headers: pages, redirects and each error page.
func TestHeadersOnEveryResponse(t *testing.T) {
	fake := newFake()
	h := newTestServer(t, fake, func(o *Options) { o.RateLimit = RateLimit{PerMinute: 1, Burst: 1} })
	cases := []struct {
		method, path, body string
		code               int
	}{
		{"GET", "/p/" + testToken, "", 200},
		{"GET", "/p/" + testToken + "/pause", "", 200},
		{"GET", "/p/" + testToken + "/resume", "", 200},
		{"POST", "/p/" + testToken, "a.topics=x", 303},
		{"POST", "/p/" + testToken, "a.mood=9", 422},
		{"POST", "/p/" + testToken, "a.mood=1&a.mood=2", 400},
		{"POST", "/p/" + testToken, "a.topics=" + strings.Repeat("x", maxBody), 413},
		{"POST", "/p/" + testToken + "/unsubscribe", "List-Unsubscribe=One-Click", 200},
		{"DELETE", "/p/" + testToken, "", 405},
		{"GET", "/nowhere", "", 404},
		{"GET", "/p/" + expiredToken, "", 410},
		{"PANIC", "/p/" + testToken, "", 500},
		{"LOCK", "/p/" + testToken, "a.topics=late", 409},
		{"GET", "/p/unknown", "", 404},
		{"GET", "/p/unknown-again", "", 429}, // the bucket holds 1
	}
	for _, c := range cases {
		method := c.method
		switch method {
		case "PANIC":
			fake.panicOn, method = "Open", "GET"
		case "LOCK":
			fake.panicOn, fake.form.Editable, method = "", false, "POST"
		}
		w := do(h, method, c.path, c.body)
		if w.Code != c.code {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, w.Code, c.code)
		}
		checkSecurityHeaders(t, c.method+" "+c.path, w.Header())
	}
}

func TestRateLimitOnUnknownLinks(t *testing.T) {
	now := testNow
	fake := newFake()
	h := newTestServer(t, fake, func(o *Options) { o.Now = func() time.Time { return now } })
	get := func(token, addr string) int {
		r := httptestRequest("GET", "/p/"+token, addr)
		return serve(h, r).Code
	}
	// Valid links never count.
	for range 100 {
		if c := get(testToken, "192.0.2.1:1"); c != 200 {
			t.Fatalf("valid link: %d", c)
		}
	}
	for i := range 20 {
		if c := get("guess"+string(rune('a'+i)), "192.0.2.1:1"); c != 404 {
			t.Fatalf("guess %d: %d, want 404", i, c)
		}
	}
	r := httptestRequest("GET", "/p/guess-u", "192.0.2.1:2")
	w := serve(h, r)
	if w.Code != 429 || w.Header().Get("Retry-After") != "6" {
		t.Fatalf("21st guess: %d, Retry-After %q; want 429 after 6 s", w.Code, w.Header().Get("Retry-After"))
	}
	// Out of tokens, a valid link is still served: whoever shares the
	// address with the guesser must not be locked out.
	if c := get(testToken, "192.0.2.1:3"); c != 200 {
		t.Errorf("valid link from a blocked client: %d, want 200", c)
	}
	if c := get("guess-v", "192.0.2.2:1"); c != 404 {
		t.Errorf("another client: %d, want 404", c)
	}
	if c := get("guess-w", "[2001:db8::1]:1"); c != 404 {
		t.Errorf("IPv6 client: %d", c)
	}
	now = now.Add(6 * time.Second)
	if c := get(testToken, "192.0.2.1:1"); c != 200 {
		t.Errorf("after the refill: %d, want 200", c)
	}
	if c := get("guess-x", "192.0.2.1:1"); c != 404 {
		t.Errorf("a guess after the refill: %d, want 404 (valid links spend no token)", c)
	}
	if c := get("guess-y", "192.0.2.1:1"); c != 429 {
		t.Errorf("then: %d, want 429", c)
	}
}

func TestRateLimitClientBehindProxy(t *testing.T) {
	l := newLimiter(RateLimit{TrustedProxies: mustPrefixes("127.0.0.0/8", "10.0.0.0/8")}, time.Now)
	for _, c := range []struct{ remote, xff, want string }{
		{"192.0.2.1:5", "", "192.0.2.1"},
		{"192.0.2.1:5", "198.51.100.9", "192.0.2.1"}, // not a proxy of ours: its header is ignored
		{"127.0.0.1:5", "198.51.100.9", "198.51.100.9"},
		{"127.0.0.1:5", "203.0.113.5, 198.51.100.9, 10.1.1.1", "198.51.100.9"},
		{"127.0.0.1:5", "garbage", "127.0.0.1"},
		{"[2001:db8:1:2:3::4]:5", "", "2001:db8:1:2::/64"},
		{"[::ffff:192.0.2.3]:5", "", "192.0.2.3"},
	} {
		r := httptestRequest("GET", "/", c.remote)
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := l.client(r); got != c.want {
			t.Errorf("%s via %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}

func TestPanicIsRecoveredAndLogged(t *testing.T) {
	var logs bytes.Buffer
	fake := newFake()
	fake.panicOn = "Save"
	h := newTestServer(t, fake, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	w := do(h, "POST", "/p/"+testToken, "a.topics=x")
	if w.Code != 500 || !strings.Contains(w.Body.String(), "Something went wrong") {
		t.Fatalf("panic: %d\n%s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), "goroutine") || strings.Contains(w.Body.String(), "fake:") {
		t.Error("the page shows the panic")
	}
	if w.Header().Get("Location") != "" {
		t.Error("a 500 with a Location")
	}
	if !strings.Contains(logs.String(), "fake: Save panics") || !strings.Contains(logs.String(), "stack=") {
		t.Errorf("the log lacks the panic and its stack:\n%s", logs.String())
	}
	if strings.Count(logs.String(), "\ntime=")+1 != 1 {
		t.Errorf("want one log line for the panic:\n%s", logs.String())
	}
}

// The token is the key to a person's answers: it never goes into a log.
func TestTokenNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	fake := newFake()
	fake.openErr = errTest
	h := newTestServer(t, fake, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	do(h, "GET", "/p/"+testToken, "")
	do(h, "POST", "/p/"+testToken, "a.topics=x", "Origin", "https://evil.example")
	do(h, "GET", "/p/"+expiredToken, "")
	if logs.Len() == 0 {
		t.Fatal("nothing logged")
	}
	for _, tok := range []string{testToken, expiredToken} {
		if strings.Contains(logs.String(), tok) {
			t.Errorf("the log holds a token:\n%s", logs.String())
		}
	}
	if !strings.Contains(logs.String(), "link="+linkID(testToken)) {
		t.Errorf("the log does not name the link by its hash:\n%s", logs.String())
	}
}

func TestBodyLimit(t *testing.T) {
	fake := newFake()
	h := newTestServer(t, fake)
	w := do(h, "POST", "/p/"+testToken, "a.topics="+strings.Repeat("x", maxBody))
	if w.Code != http.StatusRequestEntityTooLarge || fake.saves != 0 {
		t.Fatalf("%d, %d saves; want 413 and none", w.Code, fake.saves)
	}
}
