package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

const nudgeToken = "nudge_0123456789abcdefghijklmnopqrstuvwxyzAB"

// fakeFollowUps is the follow-up domain as the pages see it: one
// follow-up behind testToken, a nudge behind nudgeToken, an expired link.
type fakeFollowUps struct {
	mu       sync.Mutex
	f        prep.FollowUp
	saves    []string // "outcome|steps"
	pauses   int
	resumes  int
	mutating int
}

func newFakeFollowUps() *fakeFollowUps {
	m := sampleForm().Meeting
	return &fakeFollowUps{f: prep.FollowUp{Kind: "followup", Meeting: m, Editable: true,
		You: prep.Person{Email: "ada@example.com", Name: "Ada"}, Other: prep.Person{Email: "grace@example.com", Name: "Grace <b>Hopper</b>"}}}
}

func (f *fakeFollowUps) lookup(token string) (prep.FollowUp, error) {
	switch token {
	case testToken:
		return f.f, nil
	case nudgeToken:
		return prep.FollowUp{Kind: "nudge", You: f.f.You}, nil
	case expiredToken:
		return prep.FollowUp{}, prep.ErrExpiredLink
	}
	return prep.FollowUp{}, prep.ErrUnknownLink
}

func (f *fakeFollowUps) Open(_ context.Context, token string) (prep.FollowUp, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lookup(token)
}

func (f *fakeFollowUps) Save(_ context.Context, token, outcome, steps string) (prep.FollowUp, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.lookup(token); err != nil {
		return prep.FollowUp{}, err
	}
	if outcome != prep.OutcomeHeld && outcome != prep.OutcomeNotHeld && outcome != prep.OutcomeMoved {
		return prep.FollowUp{}, prep.ErrInvalidOutcome
	}
	f.mutating++
	f.saves = append(f.saves, outcome+"|"+steps)
	f.f.Outcome, f.f.NextSteps = outcome, steps
	return f.f, nil
}

func (f *fakeFollowUps) Pause(_ context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.lookup(token); err != nil && token != expiredToken {
		return err
	}
	f.mutating++
	f.pauses++
	f.f.Paused = true
	return nil
}

func (f *fakeFollowUps) Resume(_ context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.lookup(token); err != nil && token != expiredToken {
		return err
	}
	f.mutating++
	f.resumes++
	f.f.Paused = false
	return nil
}

func newFollowTestServer(fake *fakeFollowUps, now func() time.Time) http.Handler {
	if now == nil {
		now = func() time.Time { return testNow }
	}
	return NewFollowUp(fake, Options{PublicURL: testPublic, Now: now})
}

func TestFollowUpPageShowsAndSaves(t *testing.T) {
	fake := newFakeFollowUps()
	h := newFollowTestServer(fake, nil)
	for _, method := range []string{"GET", "HEAD"} {
		w := do(h, method, "/f/"+testToken, "")
		checkSecurityHeaders(t, method, w.Header())
		if w.Code != 200 {
			t.Fatalf("%s: %d", method, w.Code)
		}
	}
	body := do(h, "GET", "/f/"+testToken, "").Body.String()
	for _, want := range []string{"Did your 1:1 with Grace &lt;b&gt;Hopper&lt;/b&gt; happen?", `value="held"`, `value="not_held"`,
		`value="moved"`, `name="next_steps"`, `action="/f/` + testToken + `"`, `href="/f/` + testToken + `/pause"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if fake.mutating != 0 {
		t.Fatalf("GET and HEAD changed something")
	}
	w := do(h, "POST", "/f/"+testToken, url.Values{"outcome": {"held"}, "next_steps": {"Ship it"}}.Encode())
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/f/"+testToken+"?n=saved" {
		t.Fatalf("save: %d to %q", w.Code, w.Header().Get("Location"))
	}
	if strings.Join(fake.saves, ",") != "held|Ship it" {
		t.Errorf("saved %v", fake.saves)
	}
	body = do(h, "GET", "/f/"+testToken+"?n=saved", "").Body.String()
	if !strings.Contains(body, "your answer is saved") || !strings.Contains(body, `value="held" checked`) || !strings.Contains(body, "Ship it</textarea>") {
		t.Errorf("page after saving:\n%s", body)
	}
	// No choice: the page comes back with the steps as typed.
	w = do(h, "POST", "/f/"+testToken, url.Values{"next_steps": {"Typed <text>"}}.Encode())
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "Typed &lt;text&gt;</textarea>") ||
		!strings.Contains(w.Body.String(), "choose whether the meeting happened") {
		t.Errorf("save without a choice: %d\n%s", w.Code, w.Body.String())
	}
}

func TestFollowUpPagesRefuseCrossOriginPosts(t *testing.T) {
	for _, path := range []string{"", "/pause", "/resume"} {
		fake := newFakeFollowUps()
		h := newFollowTestServer(fake, nil)
		w := do(h, "POST", "/f/"+testToken+path, "outcome=held", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if w.Code != http.StatusForbidden || fake.mutating != 0 {
			t.Errorf("cross-origin POST %s: %d, %d changes", path, w.Code, fake.mutating)
		}
		checkSecurityHeaders(t, "cross-origin "+path, w.Header())
	}
}

func TestFollowUpPauseAndLinks(t *testing.T) {
	fake := newFakeFollowUps()
	h := newFollowTestServer(fake, nil)
	if w := do(h, "GET", "/f/"+testToken+"/pause", ""); w.Code != 200 || fake.pauses != 0 || !strings.Contains(w.Body.String(), "Pause mails for your 1:1 with Grace") {
		t.Fatalf("pause page: %d, %d pauses\n%s", w.Code, fake.pauses, w.Body.String())
	}
	if w := do(h, "POST", "/f/"+testToken+"/pause", ""); w.Code != http.StatusSeeOther || fake.pauses != 1 {
		t.Fatalf("pause: %d, %d pauses", w.Code, fake.pauses)
	}
	if body := do(h, "GET", "/f/"+testToken+"/pause?n=paused", "").Body.String(); !strings.Contains(body, "are paused") ||
		!strings.Contains(body, `action="/f/`+testToken+`/resume"`) {
		t.Errorf("after pausing:\n%s", body)
	}
	// A nudge's link opens its pause page; an expired link still pauses.
	if w := do(h, "GET", "/f/"+nudgeToken, ""); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/f/"+nudgeToken+"/pause" {
		t.Errorf("nudge link: %d to %q", w.Code, w.Header().Get("Location"))
	}
	w := do(h, "GET", "/f/"+expiredToken, "")
	if w.Code != http.StatusGone || !strings.Contains(w.Body.String(), `href="/f/`+expiredToken+`/pause"`) {
		t.Errorf("expired link: %d\n%s", w.Code, w.Body.String())
	}
	if w := do(h, "POST", "/f/"+expiredToken+"/pause", ""); w.Code != http.StatusSeeOther {
		t.Errorf("pause through an expired link: %d", w.Code)
	}
}

func TestFollowUpUnknownLinksAreRateLimited(t *testing.T) {
	fake := newFakeFollowUps()
	h := newFollowTestServer(fake, nil)
	for i := range 20 {
		if c := serve(h, httptestRequest("GET", "/f/guess"+string(rune('a'+i)), "192.0.2.1:1")).Code; c != 404 {
			t.Fatalf("guess %d: %d, want 404", i, c)
		}
	}
	w := serve(h, httptestRequest("GET", "/f/guess-u", "192.0.2.1:2"))
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Errorf("21st guess: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	checkSecurityHeaders(t, "rate limited", w.Header())
	if c := serve(h, httptestRequest("GET", "/f/"+testToken, "192.0.2.1:3")).Code; c != http.StatusOK {
		t.Errorf("valid link from a blocked client: %d, want 200: a limit never blocks a valid link", c)
	}
}
