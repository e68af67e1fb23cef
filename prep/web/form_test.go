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

func TestBadAnswersAreRefused(t *testing.T) {
	for _, body := range []string{"a.mood=6", "a.mood=1&a.mood=2", "a.mood=%3Cb%3E",
		"a.topics=" + strings.Repeat("é", maxAnswerLen+1), "a.topics=%zz"} {
		fake := newFake()
		w := do(newTestServer(t, fake), "POST", "/p/"+testToken, body)
		if w.Code != http.StatusBadRequest || fake.saves != 0 {
			t.Errorf("%.40s: %d, %d saves; want 400 and none", body, w.Code, fake.saves)
		}
		if !strings.Contains(w.Body.String(), "Nothing was changed.") {
			t.Errorf("%.40s: the page does not say nothing changed", body)
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
	confirm := do(h, "GET", "/p/"+testToken+"/pause", "").Body.String()
	if !strings.Contains(confirm, `<form method="post" action="/p/`+testToken+`/pause">`) {
		t.Fatalf("the pause page has no confirm button:\n%s", confirm)
	}
	w := do(h, "POST", "/p/"+testToken+"/pause", "")
	if w.Code != http.StatusSeeOther || fake.pauses != 1 || w.Header().Get("Location") != "/p/"+testToken+"?n=paused" {
		t.Fatalf("pause: %d, %d pauses, Location %q", w.Code, fake.pauses, w.Header().Get("Location"))
	}
	form := do(h, "GET", w.Header().Get("Location"), "").Body.String()
	if !strings.Contains(form, "Prep mails for this 1:1 are paused.") || !strings.Contains(form, "/resume\">Resume prep mails") {
		t.Errorf("the form does not say it is paused:\n%s", form)
	}
	if p := do(h, "GET", "/p/"+testToken+"/pause", "").Body.String(); !strings.Contains(p, "already paused") {
		t.Error("the pause page of a paused 1:1 does not say so")
	}
	w = do(h, "POST", "/p/"+testToken+"/resume", "")
	if w.Code != http.StatusSeeOther || fake.resumes != 1 || fake.form.Paused {
		t.Fatalf("resume: %d, %d resumes", w.Code, fake.resumes)
	}
	if p := do(h, "GET", w.Header().Get("Location"), "").Body.String(); !strings.Contains(p, "on again") {
		t.Error("the form does not say prep mails are on again")
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
