package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/oneonone/oneonone/calendars/testkit"
)

const chromiumPath = "/usr/bin/chromium"

// A real browser fills in the form, saves, edits, and then reads the
// agenda once the meeting has started. It runs without JavaScript of
// ours, under the pages' real CSP and Referrer-Policy (a same-origin
// post then carries Origin: null), and saves screenshots as artifacts.
func TestBrowserFillSaveEditAndReadAgenda(t *testing.T) {
	ctx := startBrowser(t)
	fake := newFake()
	var h http.Handler
	var posts syncBuffer // the browser's origin headers on each POST
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			fmt.Fprintf(&posts, "Origin=%s Sec-Fetch-Site=%s\n", r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site"))
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	h = newTestServer(t, fake, func(o *Options) { o.PublicURL = srv.URL })
	console := collectConsole(t, ctx)
	form := srv.URL + "/p/" + testToken

	run(t, ctx, "open the form", chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS("#q1")))
	if got := eval[string](t, ctx, `document.title`); got != "Prep for your 1:1 with Ada Lovelace" {
		t.Errorf("title %q", got)
	}
	// The stylesheet applies only if the CSP's hash matches it.
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector("main")).maxWidth`); got != "640px" {
		t.Errorf("main max-width %q: the stylesheet did not apply (CSP?)", got)
	}
	saveArtifact(t, "prep-form.png", screenshot(t, ctx))

	run(t, ctx, "fill a text and a scale answer",
		chromedp.SendKeys(chromedp.CSS("#q2"), "A reviewer for the <migration> doc"),
		chromedp.Click(chromedp.CSS(`label[for="q3-4"]`)))
	navigate(t, ctx, "save", chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	checkSaved(t, ctx, fake, 1, map[string]string{
		"topics": "The release plan\nand hiring", "blockers": "A reviewer for the <migration> doc", "mood": "4"})
	saveArtifact(t, "prep-form-saved.png", screenshot(t, ctx))

	run(t, ctx, "edit again",
		chromedp.Clear(chromedp.CSS("#q2")),
		chromedp.SendKeys(chromedp.CSS("#q2"), "Nothing now"),
		chromedp.Click(chromedp.CSS(`label[for="q3-5"]`)))
	navigate(t, ctx, "save the edit", chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	checkSaved(t, ctx, fake, 2, map[string]string{"topics": "The release plan\nand hiring", "blockers": "Nothing now", "mood": "5"})
	if got := eval[string](t, ctx, `document.querySelector("#q2").value`); got != "Nothing now" {
		t.Errorf("the form after the edit shows %q", got)
	}
	if !eval[bool](t, ctx, `document.querySelector("#q3-5").checked`) {
		t.Error("the scale answer is not checked after the edit")
	}

	fake.setReadOnly("Grace Hopper:\n- The release plan\n\nAda Lovelace:\n- Conference talk")
	run(t, ctx, "see the agenda", chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS("#agenda")))
	agenda := eval[string](t, ctx, `document.querySelector("#agenda").parentElement.innerText`)
	if !strings.Contains(agenda, "Ada Lovelace:\n- Conference talk") {
		t.Errorf("the agenda reads %q", agenda)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("form, textarea").length`); n != 0 {
		t.Errorf("the read-only page has %d form elements", n)
	}
	saveArtifact(t, "prep-readonly.png", screenshot(t, ctx))

	navigate(t, ctx, "open the pause page", chromedp.Click(chromedp.CSS(`footer a`)))
	navigate(t, ctx, "confirm the pause", chromedp.Click(chromedp.CSS(`form button`)))
	if h1 := eval[string](t, ctx, `document.querySelector("h1").innerText`); !strings.Contains(h1, "are paused") || fake.mutations() != 3 {
		t.Errorf("after pausing: %q, %d changes (want 2 saves and a pause)", h1, fake.mutations())
	}
	// Under Referrer-Policy: no-referrer a browser's same-origin POST
	// says Origin: null; the origin check must take it.
	want := strings.Repeat("Origin=null Sec-Fetch-Site=same-origin\n", 3)
	if posts.String() != want {
		t.Errorf("the browser's POSTs carried:\n%swant:\n%s", posts.String(), want)
	}
	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}

// startBrowser starts headless Chromium with the flags that work as root
// in a container, and a fresh profile.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	_, err := os.Stat(chromiumPath)
	testkit.NeedPeer(t, "chromium is not installed (apt-get install chromium)", err)
	var out syncBuffer
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844), // a phone
		chromedp.CombinedOutput(&out),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	// The whole browser's lifetime: a hung page fails the test, not CI.
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
		if t.Failed() && out.String() != "" {
			t.Logf("chromium output:\n%s", out.String())
		}
	})
	return ctx
}

func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// navigate runs steps that load a page (a click on a link or a button)
// and waits for it; the page must be a 200.
func navigate(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("%s: %s answered %d", what, resp.URL, resp.Status)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func screenshot(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return png
}

// checkSaved waits for the n-th save to have reached the fake and checks
// what it saved, and that the browser is back on the form with the notice.
func checkSaved(t *testing.T, ctx context.Context, fake *fakeService, n int, want map[string]string) {
	t.Helper()
	fake.mu.Lock()
	saved := fake.saved
	fake.mu.Unlock()
	if len(saved) != n {
		t.Fatalf("%d saves, want %d", len(saved), n)
	}
	for k, v := range want {
		if saved[n-1][k] != v {
			t.Errorf("save %d: %s = %q, want %q", n, k, saved[n-1][k], v)
		}
	}
	if loc := eval[string](t, ctx, `location.search`); loc != "?n=saved" {
		t.Errorf("after saving the browser is at %q", loc)
	}
	if notice := eval[string](t, ctx, `document.querySelector("p.notice").innerText`); !strings.HasPrefix(notice, "Your answers are saved.") {
		t.Errorf("notice %q", notice)
	}
}

// collectConsole gathers what the page logs: CSP violations and errors
// land there. The returned func lists them so far.
func collectConsole(t *testing.T, ctx context.Context) func() []string {
	var mu sync.Mutex
	var msgs []string
	ctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // start the browser before subscribing
		t.Fatalf("start chromium: %v", err)
	}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			mu.Lock()
			msgs = append(msgs, m.String())
			mu.Unlock()
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), msgs...)
	}
}

// saveArtifact writes a file for people to look at after the run: into
// $ONEONONE_ARTIFACTS when set (CI collects it), else the system's
// temporary directory, which outlives the test.
func saveArtifact(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := os.Getenv("ONEONONE_ARTIFACTS")
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("artifact: %s", path)
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
