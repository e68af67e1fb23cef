package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A real browser reads the pair page: the charts are drawn (inline SVG,
// no script) and styled under the page's CSP, each with its table; the
// exports it links parse; and the link is rotated with the keyboard only.
func TestBrowserPairPage(t *testing.T) {
	ctx := startBrowser(t)
	pairs := newFakePairs()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer srv.Close()
	_, mk := newPairServer(t, pairs, func(o *Options) { o.PublicURL = srv.URL })
	h = mk().handler()
	console := collectConsole(t, ctx)

	navigate(t, ctx, "open the pair page", chromedp.Navigate(srv.URL+"/pair/"+pairToken))
	if got := eval[string](t, ctx, `document.title`); got != "Your 1:1s with Ada Lovelace" {
		t.Errorf("title %q", got)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll("figure svg")].filter(s => s.getBoundingClientRect().width > 200 && s.getBoundingClientRect().height > 80).length`); n != 4 {
		t.Errorf("%d charts drawn at a readable size, want 4", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("figure .sr-only table tbody tr").length`); n != 3+3+4+1 {
		t.Errorf("%d table rows behind the charts, want 11", n)
	}
	// The pair stylesheet applies only if the CSP allows its hash.
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector("polyline.line")).stroke`); got == "" || got == "none" {
		t.Errorf("the chart line is not styled (CSP?): stroke %q", got)
	}
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector(".timeline li")).borderLeftWidth`); got != "4px" {
		t.Errorf("the timeline is not styled (CSP?): %q", got)
	}
	if got := eval[bool](t, ctx, `document.querySelector(".sr-only").getBoundingClientRect().width <= 1`); !got {
		t.Error("the charts' tables are visible: they are for screen readers")
	}
	text := eval[string](t, ctx, `document.body.innerText`)
	for _, want := range []string{"Cancelled, 3 hours' notice", "Coming up", "Great review", "The <release> plan"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not read %q", want)
		}
	}
	saveArtifact(t, "pair-page.png", screenshot(t, ctx))

	hrefs := eval[[]string](t, ctx, `[...document.querySelectorAll("nav.exports a")].map(a => a.href)`)
	if len(hrefs) != 3 || !strings.HasSuffix(hrefs[0], ".json") || !strings.HasSuffix(hrefs[1], ".csv") || !strings.HasSuffix(hrefs[2], ".md") {
		t.Fatalf("export links %v", hrefs)
	}
	resp, err := http.Get(hrefs[0])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var x pairExport
	if err := json.Unmarshal(body, &x); err != nil || len(x.Meetings) != 5 {
		t.Errorf("the JSON export the page links: %v, %d meetings", err, len(x.Meetings))
	}

	// Keyboard only: Tab to "Get a new link", Enter, Tab to the button,
	// Enter.
	focusLink := `[...document.querySelectorAll("a")].findIndex(a => a.textContent.startsWith("Get a new link"))`
	idx := eval[int](t, ctx, focusLink)
	for i := 0; i <= idx; i++ {
		run(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
	}
	if got := eval[string](t, ctx, `document.activeElement.textContent`); got != "Get a new link for this page" {
		t.Fatalf("after %d tabs the focus is on %q", idx+1, got)
	}
	navigate(t, ctx, "open the rotate page", chromedp.KeyEvent(kb.Enter))
	run(t, ctx, "tab to the button", chromedp.KeyEvent(kb.Tab))
	if got := eval[string](t, ctx, `document.activeElement.tagName`); got != "BUTTON" {
		t.Fatalf("the first tab stop of the rotate page is %s", got)
	}
	navigate(t, ctx, "rotate", chromedp.KeyEvent(kb.Enter))
	if pairs.rotations() != 1 {
		t.Fatalf("%d rotations", pairs.rotations())
	}
	if loc := eval[string](t, ctx, `location.pathname + location.search`); !strings.HasPrefix(loc, "/pair/rotated-") || !strings.HasSuffix(loc, "?n=rotated") {
		t.Errorf("after rotating the browser is at %q", loc)
	}
	if got := eval[string](t, ctx, `document.querySelector("p.notice").innerText`); !strings.Contains(got, "new link") {
		t.Errorf("notice %q", got)
	}
	saveArtifact(t, "pair-page-rotated.png", screenshot(t, ctx))
	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}
