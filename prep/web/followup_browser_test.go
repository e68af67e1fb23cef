package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The follow-up page works from the keyboard alone: Tab to the first
// choice, Space to pick it, Tab to the next steps, type, Tab to the
// button, Enter to save. Screenshots are saved as artifacts.
func TestBrowserFollowUpKeyboardOnly(t *testing.T) {
	ctx := startBrowser(t)
	fake := newFakeFollowUps()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer srv.Close()
	h = NewFollowUp(fake, Options{PublicURL: srv.URL, Now: func() time.Time { return testNow }})
	console := collectConsole(t, ctx)
	focused := func() string {
		return eval[string](t, ctx, `document.activeElement.id || document.activeElement.tagName`)
	}

	run(t, ctx, "open the follow-up page", chromedp.Navigate(srv.URL+"/f/"+testToken), chromedp.WaitVisible(chromedp.CSS("#o-held")))
	if got := eval[string](t, ctx, `document.title`); got != "Did your 1:1 with Grace <b>Hopper</b> happen?" {
		t.Errorf("title %q", got)
	}
	saveArtifact(t, "followup-form.png", screenshot(t, ctx))
	run(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
	if f := focused(); f != "o-held" {
		t.Fatalf("the first Tab focuses %q, want the first choice", f)
	}
	run(t, ctx, "Space", chromedp.KeyEvent(" "))
	if !eval[bool](t, ctx, `document.querySelector("#o-held").checked`) {
		t.Fatal("Space did not pick the choice")
	}
	run(t, ctx, "Tab to the next steps", chromedp.KeyEvent(kb.Tab))
	if f := focused(); f != "next-steps" {
		t.Fatalf("the second Tab focuses %q, want the next steps", f)
	}
	run(t, ctx, "type", chromedp.KeyEvent("Book the offsite"), chromedp.KeyEvent(kb.Tab))
	if f := focused(); f != "BUTTON" {
		t.Fatalf("the third Tab focuses %q, want the save button", f)
	}
	navigate(t, ctx, "Enter saves", chromedp.KeyEvent(kb.Enter))
	fake.mu.Lock()
	saves := strings.Join(fake.saves, ",")
	fake.mu.Unlock()
	if saves != "held|Book the offsite" {
		t.Errorf("saved %q", saves)
	}
	if notice := eval[string](t, ctx, `document.querySelector("p.notice").innerText`); !strings.Contains(notice, "your answer is saved") {
		t.Errorf("notice %q", notice)
	}
	saveArtifact(t, "followup-saved.png", screenshot(t, ctx))
	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}
