package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A meeting that will not take place shows no countdown and no form, says
// why, and refuses a save (a page opened before it was cancelled) with
// what was sent given back.
func TestCancelledMeetingSaysSoAndRefusesSaves(t *testing.T) {
	for state, says := range map[string]string{
		"cancelled":  "This meeting was cancelled",
		"declined":   "This meeting was declined",
		"superseded": "This meeting is no longer in the series",
	} {
		fake := newFake()
		fake.form.Meeting.State, fake.form.Editable = state, false
		h := newTestServer(t, fake)
		page := do(h, "GET", "/p/"+testToken, "")
		body := page.Body.String()
		if page.Code != http.StatusOK || !strings.Contains(body, says) {
			t.Errorf("%s: GET %d, page lacks %q", state, page.Code, says)
		}
		if strings.Contains(body, "<textarea") || strings.Contains(body, "in 20 hours") {
			t.Errorf("%s: the page still offers the form or counts down to the meeting", state)
		}
		if !strings.Contains(body, "The release plan\nand hiring") {
			t.Errorf("%s: the page does not show the answers kept", state)
		}
		w := do(h, "POST", "/p/"+testToken, url.Values{"a.topics": {"Too late"}}.Encode())
		if w.Code != http.StatusConflict || fake.saves != 0 {
			t.Errorf("%s: POST %d with %d saves; want 409 and none", state, w.Code, fake.saves)
		}
		if b := w.Body.String(); !strings.Contains(b, "will not take place") || !strings.Contains(b, "Too late") {
			t.Errorf("%s: the refusal does not say why or give back what was sent:\n%s", state, b)
		}
	}
}
