package web

import (
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/prep"
)

func TestSaveRedirectsToTheFormWithANotice(t *testing.T) {
	fake := newFake()
	h := newTestServer(t, fake)
	body := url.Values{"a.topics": {"Roadmap\r\n\x00and budget  "}, "a.mood": {"4"}, "a.unknown": {"x"}}.Encode()
	w := do(h, "POST", "/p/"+testToken, body)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST: %d, want 303\n%s", w.Code, w.Body)
	}
	if loc := w.Header().Get("Location"); loc != "/p/"+testToken+"?n=saved" {
		t.Errorf("Location %q", loc)
	}
	want := map[string]string{"topics": "Roadmap\nand budget", "mood": "4"}
	if len(fake.saved) != 1 || !maps.Equal(fake.saved[0], want) {
		t.Fatalf("saved %q, want %q", fake.saved, want)
	}
	page := do(h, "GET", w.Header().Get("Location"), "").Body.String()
	for _, s := range []string{`role="status">Your answers are saved.`, ">Roadmap\nand budget</textarea>",
		`id="q3-4" name="a.mood" value="4" checked>`} {
		if !strings.Contains(page, s) {
			t.Errorf("the form after saving lacks %q", s)
		}
	}
}

func TestUnreadableFormsAreRefused(t *testing.T) {
	for _, body := range []string{"a.mood=1&a.mood=2", "a.topics=%zz"} {
		fake := newFake()
		w := do(newTestServer(t, fake), "POST", "/p/"+testToken, body)
		if w.Code != http.StatusBadRequest || fake.saves != 0 {
			t.Errorf("%s: %d, %d saves; want 400 and none", body, w.Code, fake.saves)
		}
		if !strings.Contains(w.Body.String(), "Nothing was changed.") {
			t.Errorf("%s: the page does not say nothing changed", body)
		}
	}
}

// An answer that cannot be saved, whether the page or the store finds
// out, brings the form back as typed with the reason beside it.
func TestRefusedAnswersComeBackAsTyped(t *testing.T) {
	long := strings.Repeat("é", defaultMaxAnswer+1)
	for _, c := range []struct{ name, body, saveErr, want, field string }{
		{"scale out of range", "a.topics=keep+me&a.mood=6", "", "Choose a number from 1 to 5.", `id="q3-error"`},
		{"scale not a number", "a.topics=keep+me&a.mood=%3Cb%3E", "", "Choose a number from 1 to 5.", `id="q3-error"`},
		{"too long", "a.blockers=keep+me&a.topics=" + long, "", "4001 characters is too long", `id="q1-error"`},
		{"the store refuses", "a.topics=keep+me&a.blockers=x", "blockers", "No such thing.", `id="q2-error"`},
	} {
		fake := newFake()
		if c.saveErr != "" {
			fake.saveErr = &prep.AnswerError{QuestionID: c.saveErr, Reason: "no such thing"}
		}
		w := do(newTestServer(t, fake), "POST", "/p/"+testToken, c.body)
		if w.Code != http.StatusUnprocessableEntity || len(fake.saved) != 0 {
			t.Errorf("%s: %d, %d saved; want 422 and none", c.name, w.Code, len(fake.saved))
		}
		page := w.Body.String()
		for _, s := range []string{c.want, c.field, `role="alert">Your answers are not saved yet`, ">keep me</textarea>", `aria-invalid="true"`} {
			if s == `aria-invalid="true"` && strings.Contains(c.name, "scale") {
				continue
			}
			if !strings.Contains(page, s) {
				t.Errorf("%s: the page lacks %q", c.name, s)
			}
		}
	}
}

// A POST after the meeting started saves nothing, says so and shows back
// what was sent, whether Open already knew or Save found out.
func TestPostAfterTheMeetingStarted(t *testing.T) {
	for _, raceSave := range []bool{false, true} {
		fake := newFake()
		fake.form.Editable = false
		if raceSave {
			fake.hook = func(name string) {
				if name == "Open" {
					fake.form.Editable = true
				} else {
					fake.form.Editable = false
				}
			}
		}
		before := maps.Clone(fake.form.Answers)
		w := do(newTestServer(t, fake), "POST", "/p/"+testToken, "a.topics=Too+late+%3Cb%3E")
		if w.Code != http.StatusConflict {
			t.Fatalf("race %v: %d, want 409", raceSave, w.Code)
		}
		body := w.Body.String()
		for _, s := range []string{"The meeting has started", "not saved", "Too late &lt;b&gt;", `href="/p/` + testToken + `"`} {
			if !strings.Contains(body, s) {
				t.Errorf("race %v: the page lacks %q", raceSave, s)
			}
		}
		if !maps.Equal(fake.form.Answers, before) || len(fake.saved) != 0 {
			t.Errorf("race %v: answers changed: %q", raceSave, fake.form.Answers)
		}
	}
}

// Answers are untrusted: whatever the other person or the reader typed
// is text on the page, never markup.
func TestAnswersAreEscaped(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	fake := newFake()
	fake.form.Answers = map[string]string{"topics": evil, "mood": `4" onclick="x`}
	fake.form.Shared = map[string]string{"topics": evil, `"><img src=x>`: evil}
	fake.form.PreviousNextSteps = evil
	fake.form.Other.Name = `Ada <b>`
	fake.form.Questions[0].Text = `<i>topics</i>`
	h := newTestServer(t, fake)
	pages := []string{do(h, "GET", "/p/"+testToken, "").Body.String()}
	fake.setReadOnly(evil)
	pages = append(pages, do(h, "GET", "/p/"+testToken, "").Body.String(),
		do(h, "GET", "/p/"+testToken+"/pause", "").Body.String())
	for i, p := range pages {
		for _, bad := range []string{"<script", "<img", "<b>", "<i>", `" onclick`} {
			if strings.Contains(p, bad) {
				t.Errorf("page %d holds %q", i, bad)
			}
		}
	}
	if !strings.Contains(pages[0], "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the answer is not shown as text")
	}
}

func TestPauseAndResume(t *testing.T) {
	fake := newFake()
	h := newTestServer(t, fake)
	page := func(path string) string { return do(h, "GET", path, "").Body.String() }
	base := "/p/" + testToken
	if p := page(base + "/pause?n=paused"); !strings.Contains(p, `<form method="post" action="`+base+`/pause">`) {
		t.Fatalf("the pause page has no confirm button (or believes the query):\n%s", p)
	}
	w := do(h, "POST", base+"/pause", "")
	if w.Code != http.StatusSeeOther || fake.pauses != 1 || w.Header().Get("Location") != base+"/pause?n=paused" {
		t.Fatalf("pause: %d, %d pauses, Location %q", w.Code, fake.pauses, w.Header().Get("Location"))
	}
	if p := page(w.Header().Get("Location")); !strings.Contains(p, "are paused</h1>") {
		t.Errorf("after pausing the page does not say so:\n%s", p)
	}
	if p := page(base + "/pause"); !strings.Contains(p, "already paused") {
		t.Error("the pause page of a paused 1:1 does not say so")
	}
	if p := page(base); !strings.Contains(p, "Prep mails for this 1:1 are paused.") || !strings.Contains(p, "/resume\">Resume prep mails") {
		t.Errorf("the form does not say it is paused:\n%s", p)
	}
	if p := page(base + "/resume"); !strings.Contains(p, `action="`+base+`/resume"`) {
		t.Error("the resume page has no confirm button")
	}
	w = do(h, "POST", base+"/resume", "")
	if w.Code != http.StatusSeeOther || fake.resumes != 1 || fake.form.Paused || w.Header().Get("Location") != base+"/resume?n=resumed" {
		t.Fatalf("resume: %d, %d resumes, Location %q", w.Code, fake.resumes, w.Header().Get("Location"))
	}
	if p := page(w.Header().Get("Location")); !strings.Contains(p, "are on again</h1>") {
		t.Error("after resuming the page does not say so")
	}
}

// RFC 8058: the provider POSTs List-Unsubscribe=One-Click, urlencoded or
// multipart, from its servers; anything else pauses nothing.
func TestOneClickUnsubscribe(t *testing.T) {
	var mp strings.Builder
	mw := multipart.NewWriter(&mp)
	mw.WriteField("List-Unsubscribe", "One-Click")
	mw.Close()
	for _, c := range []struct {
		name, body, ctype string
		code, pauses      int
	}{
		{"urlencoded", "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded", 200, 1},
		{"multipart", mp.String(), mw.FormDataContentType(), 200, 1},
		{"no body", "", "application/x-www-form-urlencoded", 400, 0},
		{"other value", "List-Unsubscribe=Yes", "application/x-www-form-urlencoded", 400, 0},
	} {
		fake := newFake()
		w := do(newTestServer(t, fake), "POST", "/p/"+testToken+"/unsubscribe", c.body,
			"Content-Type", c.ctype, "Origin", "", "Sec-Fetch-Site", "")
		if w.Code != c.code || fake.pauses != c.pauses {
			t.Errorf("%s: %d with %d pauses, want %d with %d", c.name, w.Code, fake.pauses, c.code, c.pauses)
		}
		if c.code == 200 && !strings.Contains(w.Body.String(), "are paused</h1>") {
			t.Errorf("%s: the page does not say paused", c.name)
		}
	}
}

// Links keep PublicURL's path, for a daemon behind a proxy at a prefix.
func TestLinksUnderAPathPrefix(t *testing.T) {
	fake := newFake()
	h := newTestServer(t, fake, func(o *Options) { o.PublicURL = "https://example.com/oneonone/" })
	page := do(h, "GET", "/p/"+testToken, "").Body.String()
	for _, s := range []string{`action="/oneonone/p/` + testToken + `"`, `href="/oneonone/p/` + testToken + `/pause"`} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %s", s)
		}
	}
	w := do(h, "POST", "/p/"+testToken, "a.topics=x", "Origin", "https://example.com")
	if loc := w.Header().Get("Location"); loc != "/oneonone/p/"+testToken+"?n=saved" {
		t.Errorf("Location %q", loc)
	}
}

func TestReadOnlyShowsTheAgenda(t *testing.T) {
	fake := newFake()
	fake.setReadOnly("- Release plan (Grace)\n- Conference talk (Ada)")
	page := do(newTestServer(t, fake), "GET", "/p/"+testToken, "").Body.String()
	for _, s := range []string{"<h2 id=\"agenda\">Agenda</h2>", "- Release plan (Grace)\n- Conference talk (Ada)",
		"The release plan\nand hiring", "can no longer be changed"} {
		if !strings.Contains(page, s) {
			t.Errorf("read-only page lacks %q", s)
		}
	}
	if strings.Contains(page, "<form") || strings.Contains(page, "<textarea") {
		t.Error("the read-only page has a form")
	}
}

func TestUnknownQuestionIDsOfTheOtherRole(t *testing.T) {
	got := sharedAnswers(prep.Form{
		Questions: []prep.Question{{ID: "topics", Text: "Topics?"}},
		Shared:    map[string]string{"topics": " a ", "team_health": "b", "empty": " "},
	})
	want := []answerView{{"Topics?", "a"}, {"Team health", "b"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %q, want %q", got, want)
	}
}

// prep.Service pauses and resumes with expired links (an old mail's link
// must still stop the mails), so the confirm pages work for them too.
func TestPauseWithAnExpiredLink(t *testing.T) {
	fake := newFake()
	h := newTestServer(t, fake)
	expired := do(h, "GET", "/p/"+expiredToken, "")
	if expired.Code != http.StatusGone || !strings.Contains(expired.Body.String(), `href="/p/`+expiredToken+`/pause"`) {
		t.Fatalf("expired form: %d, or no pause link\n%s", expired.Code, expired.Body)
	}
	for _, path := range []string{"/pause", "/resume"} {
		page := do(h, "GET", "/p/"+expiredToken+path, "")
		if page.Code != 200 || !strings.Contains(page.Body.String(), "prep mails for this 1:1?</h1>") ||
			!strings.Contains(page.Body.String(), `action="/p/`+expiredToken+path+`"`) {
			t.Errorf("GET %s: %d\n%s", path, page.Code, page.Body)
		}
	}
	if w := do(h, "POST", "/p/"+expiredToken+"/pause", ""); w.Code != http.StatusSeeOther || fake.pauses != 1 {
		t.Errorf("POST pause: %d, %d pauses", w.Code, fake.pauses)
	}
	w := do(h, "POST", "/p/"+expiredToken+"/unsubscribe", "List-Unsubscribe=One-Click")
	if w.Code != 200 || fake.pauses != 2 || !strings.Contains(w.Body.String(), "Prep mails for this 1:1 are paused") {
		t.Errorf("one-click: %d, %d pauses\n%s", w.Code, fake.pauses, w.Body)
	}
}
