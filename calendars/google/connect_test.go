package google

import (
	"bufio"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/google/googletest"
	"github.com/oneonone/oneonone/calendars/testkit"
)

// connectSetup serves the connect pages of a daemon whose OAuth client
// the fake knows, with grace consenting.
func connectSetup(t *testing.T) (*googletest.Server, Tokens, *Connector, *httptest.Server, *testkit.Clock) {
	t.Helper()
	srv, _, clk := setup(t)
	srv.SetOAuthClient("client-id", "client-secret")
	srv.SetConsent(grace)
	store := newMemTokens()
	mux := http.NewServeMux()
	daemon := httptest.NewServer(mux)
	t.Cleanup(daemon.Close)
	app := OAuthApp{ClientID: "client-id", ClientSecret: "client-secret", RedirectURL: daemon.URL + "/connect/google/callback",
		AuthURL: srv.AuthURL(), TokenURL: srv.TokenURL()}
	opt := options(clk)
	opt.Endpoint = srv.URL
	conn := NewConnector(app, store, opt)
	conn.Register(mux)
	return srv, store, conn, daemon, clk
}

func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestConnectInTheBrowserWithPKCE(t *testing.T) {
	srv, store, conn, daemon, clk := connectSetup(t)
	var connected []string
	conn.OnConnect = func(a string) { connected = append(connected, a) }
	resp, body := get(t, browser(t), daemon.URL+"/connect/google?account=grace@example.com")
	if resp.StatusCode != 200 || !strings.Contains(body, "Connected grace@example.com") {
		t.Fatalf("%s: %s", resp.Status, body)
	}
	for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"} {
		if resp.Header.Get(h) != want {
			t.Errorf("%s = %q", h, resp.Header.Get(h))
		}
	}
	auth := srv.Requests("authorize")[0].Query
	if auth.Get("code_challenge_method") != "S256" || len(auth.Get("code_challenge")) != 43 || auth.Get("access_type") != "offline" ||
		auth.Get("prompt") != "consent" || auth.Get("login_hint") != grace || auth.Get("state") == "" {
		t.Errorf("authorization request %v", auth)
	}
	form, _ := url.ParseQuery(string(srv.Requests("token")[0].Body))
	if form.Get("grant_type") != "authorization_code" || form.Get("code_verifier") == "" {
		t.Errorf("token request %v", form)
	}
	if len(connected) != 1 || connected[0] != grace {
		t.Errorf("OnConnect saw %v", connected)
	}
	// The stored grant works.
	opt := options(clk)
	opt.Endpoint = srv.URL
	c, _ := NewUser(t.Context(), conn.app, store, grace, opt)
	if _, _, err := c.Changes(t.Context(), grace, Cursor{}); err != nil {
		t.Errorf("with the connected grant: %v", err)
	}
}

func TestConnectCallbackChecks(t *testing.T) {
	srv, store, _, daemon, _ := connectSetup(t)
	noRedirect := browser(t)
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, _ := get(t, noRedirect, daemon.URL+"/connect/google")
	consent := resp.Header.Get("Location")
	resp, _ = get(t, noRedirect, consent)
	callback := resp.Header.Get("Location")

	// Another browser (no state cookie) cannot finish this attempt.
	resp, body := get(t, http.DefaultClient, callback)
	if resp.StatusCode != http.StatusBadRequest || count(srv, "token") != 0 {
		t.Errorf("callback without the cookie: %s %s", resp.Status, body)
	}
	// The attempt is used up; its code is shown for a terminal to use.
	resp, body = get(t, noRedirect, callback)
	code := mustQuery(t, callback).Get("code")
	if resp.StatusCode != 200 || !strings.Contains(body, "Paste this code") || !strings.Contains(body, code) || count(srv, "token") != 0 {
		t.Errorf("unknown state: %s %s", resp.Status, body)
	}
	resp, _ = get(t, noRedirect, daemon.URL+"/connect/google/callback?error=access_denied")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("denied: %s", resp.Status)
	}
	if req, _ := http.NewRequest(http.MethodHead, daemon.URL+"/connect/google", nil); req != nil {
		resp, _ := noRedirect.Do(req)
		if resp.StatusCode != 200 || len(srv.Requests("authorize")) != 1 {
			t.Errorf("HEAD started an attempt: %s", resp.Status)
		}
	}
	if _, err := store.Load(t.Context(), grace); err == nil {
		t.Error("a grant was stored")
	}
}

func mustQuery(t *testing.T, u string) url.Values {
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.Query()
}

func TestConnectFromTheCommandLine(t *testing.T) {
	srv, store, conn, _, _ := connectSetup(t)
	out, outW := io.Pipe()
	in, inW := io.Pipe()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	go func() { // the user: opens the printed link and pastes where the browser ended
		link := regexp.MustCompile(`https?://\S+`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u := link.FindString(sc.Text()); u != "" {
				resp, err := noRedirect.Get(u)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				go io.WriteString(inW, resp.Header.Get("Location")+"\n")
			}
		}
	}()
	account, err := ConnectCLI(t.Context(), outW, in, conn.app, store, conn.opt)
	outW.Close()
	if err != nil || account != grace {
		t.Fatalf("connect: %q, %v", account, err)
	}
	if rt, err := store.Load(t.Context(), grace); err != nil || !strings.HasPrefix(rt, "1//fake-") {
		t.Errorf("stored %q, %v", rt, err)
	}
	if form, _ := url.ParseQuery(string(srv.Requests("token")[0].Body)); form.Get("code_verifier") == "" {
		t.Errorf("no PKCE verifier sent: %v", form)
	}

	if _, err := parsePasted("https://x.example/cb?code=c&state=other", "mine"); err == nil {
		t.Error("a code of another attempt was taken")
	}
	if code, err := parsePasted("4/0Abc-def", "mine"); err != nil || code != "4/0Abc-def" {
		t.Errorf("a bare code: %q %v", code, err)
	}
}
