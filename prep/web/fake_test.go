package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// testToken is the one link the fake knows; expiredToken is a known but
// expired one.
const (
	testToken    = "tok_3xAmPLe-0123456789abcdefghijklmnopqrstuv"
	expiredToken = "expired_0123456789abcdefghijklmnopqrstuvwxyz"
	testPublic   = "https://1on1.example.com"
)

// testNow is the fixed clock: 20 hours before the meeting.
var testNow = time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)

// fakeService is the prep domain as the pages see it: one form, behind
// one token, with counters of every call that changes something.
type fakeService struct {
	mu      sync.Mutex
	form    prep.Form
	opens   int
	saves   int
	pauses  int
	resumes int
	saved   []map[string]string
	openErr error             // returned by Open for testToken when set
	saveErr error             // returned by Save when set
	panicOn string            // a method that panics
	hook    func(name string) // called on every call
}

func newFake() *fakeService { return &fakeService{form: sampleForm()} }

// sampleForm is a 1:1 in Berlin read by someone in New York.
func sampleForm() prep.Form {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2026, 3, 3, 14, 0, 0, 0, berlin)
	return prep.Form{
		Meeting: prep.Meeting{SeriesUID: "series-1", RecurrenceID: "2026-03-03T13:00:00Z",
			Start: start, End: start.Add(30 * time.Minute), TimeZone: "Europe/Berlin",
			Summary: "Ada / Grace 1:1", Organizer: "ada@example.com", State: "scheduled", Number: 7,
			People: [2]prep.Person{{Email: "ada@example.com", Name: "Ada Lovelace"}, {Email: "grace@example.com", Name: "Grace Hopper"}}},
		You:      prep.Person{Email: "grace@example.com", Name: "Grace Hopper"},
		Other:    prep.Person{Email: "ada@example.com", Name: "Ada Lovelace"},
		Role:     "attendee",
		Location: ny,
		Questions: []prep.Question{
			{ID: "topics", Text: "What do you want to talk about?", Kind: "text", Visibility: "agenda"},
			{ID: "blockers", Text: "Where are you blocked or need help?", Kind: "text", Visibility: "pair"},
			{ID: "mood", Text: "How are you feeling?", Kind: "scale", Visibility: "private"},
		},
		Answers:           map[string]string{"topics": "The release plan\nand hiring"},
		Shared:            map[string]string{"topics": "Conference talk <draft>", "feedback_for_you": "Great review last week"},
		PreviousNextSteps: "Grace: write the migration doc\nAda: book the room",
		Editable:          true,
	}
}

func (f *fakeService) call(name, token string) (prep.Form, error) {
	if f.hook != nil {
		f.hook(name)
	}
	if f.panicOn == name {
		panic("fake: " + name + " panics")
	}
	switch token {
	case testToken:
		if name == "Open" && f.openErr != nil {
			return prep.Form{}, f.openErr
		}
		return f.form, nil
	case expiredToken:
		if name == "Pause" || name == "Resume" { // as prep.Service: old mails' links still pause
			return prep.Form{}, nil
		}
		return prep.Form{}, prep.ErrExpiredLink
	}
	return prep.Form{}, prep.ErrUnknownLink
}

func (f *fakeService) Open(ctx context.Context, token string) (prep.Form, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opens++
	form, err := f.call("Open", token)
	form.Answers = maps.Clone(form.Answers) // the caller may keep it
	return form, err
}

func (f *fakeService) Save(ctx context.Context, token string, answers map[string]string) (prep.Form, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saves++
	if _, err := f.call("Save", token); err != nil {
		return prep.Form{}, err
	}
	if !f.form.Editable {
		return prep.Form{}, prep.ErrLocked
	}
	if f.saveErr != nil {
		return f.form, f.saveErr
	}
	f.saved = append(f.saved, maps.Clone(answers))
	f.form.Answers = maps.Clone(f.form.Answers)
	maps.Copy(f.form.Answers, answers)
	return f.form, nil
}

func (f *fakeService) Pause(ctx context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pauses++
	_, err := f.call("Pause", token)
	if err == nil && token == testToken {
		f.form.Paused = true
	}
	return err
}

func (f *fakeService) Resume(ctx context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resumes++
	_, err := f.call("Resume", token)
	if err == nil && token == testToken {
		f.form.Paused = false
	}
	return err
}

// mutations counts the calls that change something.
func (f *fakeService) mutations() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.saves + f.pauses + f.resumes
}

// setReadOnly is the form once the meeting has started (10 minutes
// before the test clock's now) and the agenda is written.
func (f *fakeService) setReadOnly(agenda string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.form.Editable = false
	f.form.Agenda = agenda
	f.form.Meeting.Start, f.form.Meeting.End = testNow.Add(-10*time.Minute), testNow.Add(20*time.Minute)
}

// newTestServer is the pages over fake with the fixed clock and
// PublicURL; opt may change the options.
func newTestServer(t testing.TB, fake *fakeService, opt ...func(*Options)) http.Handler {
	t.Helper()
	o := Options{PublicURL: testPublic, Now: func() time.Time { return testNow }}
	for _, f := range opt {
		f(&o)
	}
	s, err := newServer(fake, o)
	if err != nil {
		t.Fatal(err)
	}
	return s.handler()
}

// do sends one request with an optional form body. A POST looks like a
// same-origin browser post unless headers say otherwise.
func do(h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	var r *http.Request
	if body != "" {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	r.RemoteAddr = "192.0.2.7:50000"
	if method == http.MethodPost {
		r.Header.Set("Origin", testPublic)
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			r.Header.Del(header[i])
			continue
		}
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

var errTest = errors.New("test: the store is down")

// httptestRequest is a GET-like request from addr.
func httptestRequest(method, target, addr string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.RemoteAddr = addr
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func mustPrefixes(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

// The prep domain's service is what the daemon passes to New.
var _ Service = (*prep.Service)(nil)
