package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestPairPageShowsTimelineChartsAndExports(t *testing.T) {
	pairs := newFakePairs()
	_, mk := newPairServer(t, pairs)
	h := mk().handler()
	w := do(h, "GET", "/pair/"+pairToken, "")
	if w.Code != 200 {
		t.Fatalf("GET: %d\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		"<title>Your 1:1s with Ada Lovelace</title>",
		"Cancelled, 3 hours&#39; notice",
		"Held",
		"Coming up",
		"The &lt;release&gt; plan",
		"Great review",
		"Ada Lovelace’s answers are shown once you have both answered",
		`<svg viewBox="0 0 320 160" role="img"`,
		`<polyline class="line"`,
		`<rect class="bar-held"`,
		`<div class="sr-only"><table>`,
		"<th scope=\"row\">Feb 2026</th><td>2</td><td>0</td>",
		"How is your mood, 1–5? (private: only you see this)",
		`href="/pair/` + pairToken + `/export.json"`,
		`href="/pair/` + pairToken + `/export.csv"`,
		`href="/pair/` + pairToken + `/export.md"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script") {
		t.Error("the page has a script")
	}
	if n := strings.Count(body, "<figure"); n != 4 {
		t.Errorf("%d charts, want 4 (months, two of yours, one of Ada's)", n)
	}
	if csp := w.Header().Get("Content-Security-Policy"); strings.Count(csp, "'sha256-") != 2 {
		t.Errorf("CSP %q: want the common and the pair stylesheet's hashes", csp)
	}
	checkSecurityHeaders(t, "pair page", w.Header())
}

func TestPairExportsParse(t *testing.T) {
	pairs := newFakePairs()
	_, mk := newPairServer(t, pairs)
	h := mk().handler()

	w := do(h, "GET", "/pair/"+pairToken+"/export.json", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("JSON: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var x pairExport
	if err := json.Unmarshal(w.Body.Bytes(), &x); err != nil {
		t.Fatalf("the JSON export does not parse: %v\n%s", err, w.Body)
	}
	if len(x.Meetings) != 5 || x.Meetings[1].Status != "cancelled" || *x.Meetings[1].NoticeHours != 3 || len(x.Months) != 3 || len(x.Scales) != 3 {
		t.Errorf("JSON export: %+v", x)
	}
	if !x.Meetings[0].TheirsHidden || len(x.Meetings[0].Theirs) != 0 {
		t.Errorf("the coming meeting's answers of Ada: %+v", x.Meetings[0])
	}

	w = do(h, "GET", "/pair/"+pairToken+"/export.csv", "")
	rows, err := csv.NewReader(bytes.NewReader(w.Body.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("the CSV export does not parse: %v\n%s", err, w.Body)
	}
	answers := 0
	for _, r := range rows[1:] {
		if r[0] == "answer" {
			answers++
			if strings.HasPrefix(r[8], "=") {
				t.Errorf("a formula in the CSV: %q", r[8])
			}
		}
	}
	if answers != 13 || strings.Join(rows[0], ",") != strings.Join(csvHead, ",") {
		t.Errorf("CSV: %d answer rows, head %v", answers, rows[0])
	}

	w = do(h, "GET", "/pair/"+pairToken+"/export.md", "")
	md := w.Body.String()
	if !strings.HasPrefix(md, "# Your 1:1s with Ada Lovelace\n") || !strings.Contains(md, "| 2026-02 | 2 | 0 |") ||
		!strings.Contains(md, "    Great review") {
		t.Errorf("Markdown export:\n%s", md)
	}
	for _, f := range []string{"export.json", "export.csv", "export.md"} {
		w := do(h, "GET", "/pair/"+pairToken+"/"+f, "")
		checkSecurityHeaders(t, f, w.Header())
		if !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: Content-Disposition %q", f, w.Header().Get("Content-Disposition"))
		}
	}
	if w := do(h, "GET", "/pair/"+pairToken+"/export.xml", ""); w.Code != 404 {
		t.Errorf("export.xml: %d", w.Code)
	}
}

func TestPairLinkRotates(t *testing.T) {
	pairs := newFakePairs()
	_, mk := newPairServer(t, pairs)
	h := mk().handler()
	if w := do(h, "GET", "/pair/"+pairToken+"/rotate", ""); w.Code != 200 || pairs.rotations() != 0 ||
		!strings.Contains(w.Body.String(), `<form method="post" action="/pair/`+pairToken+`/rotate">`) {
		t.Fatalf("GET rotate: %d, %d rotations\n%s", w.Code, pairs.rotations(), w.Body)
	}
	w := do(h, "POST", "/pair/"+pairToken+"/rotate", "")
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || pairs.rotations() != 1 || !strings.HasPrefix(loc, "/pair/rotated-") {
		t.Fatalf("POST rotate: %d to %q, %d rotations", w.Code, loc, pairs.rotations())
	}
	if w := do(h, "GET", loc, ""); w.Code != 200 || !strings.Contains(w.Body.String(), "This page has a new link") {
		t.Errorf("the new link: %d", w.Code)
	}
	for _, path := range []string{"", "/export.json", "/rotate"} {
		if w := do(h, "GET", "/pair/"+pairToken+path, ""); w.Code != 404 || !strings.Contains(w.Body.String(), "no 1:1 record for this link") {
			t.Errorf("the old link%s: %d", path, w.Code)
		}
	}
}

// Without a PairService the pair pages do not exist.
func TestNoPairPagesWithoutService(t *testing.T) {
	h := newTestServer(t, newFake())
	if w := do(h, "GET", "/pair/"+pairToken, ""); w.Code != 404 {
		t.Errorf("%d, want 404", w.Code)
	}
}

// With reveal = after_both the form says why the other's answers are not
// there yet, instead of claiming they shared nothing.
func TestFormSaysAnswersWaitForBoth(t *testing.T) {
	fake := newFake()
	fake.form.Shared, fake.form.Hidden = map[string]string{}, true
	w := do(newTestServer(t, fake), "GET", "/p/"+testToken, "")
	if body := w.Body.String(); !strings.Contains(body, "Ada Lovelace’s answers are shown once you have both answered") ||
		strings.Contains(body, "has not shared any answers yet") {
		t.Errorf("the form while answers are hidden:\n%s", body)
	}
}
