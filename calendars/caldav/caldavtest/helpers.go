package caldavtest

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// PrincipalURL is the URL of a user's principal (which is also their
// calendar home on Radicale and Xandikos).
func (s *Server) PrincipalURL(user string) string {
	if s.Kind == "cyrus" {
		return s.URL + "/dav/principals/user/" + user + "/"
	}
	if s.Kind == "xandikos" {
		return s.URL + "/user/"
	}
	return s.URL + "/" + user + "/"
}

// CalendarURL is where MakeCalendar puts the calendar name of user.
// Cyrus provisions each user's "Default" calendar.
func (s *Server) CalendarURL(user, name string) string {
	if s.Kind == "cyrus" {
		return s.URL + "/dav/calendars/user/" + user + "/" + url.PathEscape(name) + "/"
	}
	if s.Kind == "xandikos" {
		return s.URL + "/user/calendars/" + url.PathEscape(name) + "/"
	}
	return s.URL + "/" + user + "/" + url.PathEscape(name) + "/"
}

// MakeCalendar creates an event calendar (MKCALENDAR, with the name as its
// display name) and returns its URL.
func (s *Server) MakeCalendar(t testing.TB, user, name string) string {
	t.Helper()
	return s.mkcalendar(t, user, name, "VEVENT")
}

// MakeTaskList creates a calendar collection that holds only VTODOs.
func (s *Server) MakeTaskList(t testing.TB, user, name string) string {
	t.Helper()
	return s.mkcalendar(t, user, name, "VTODO")
}

func (s *Server) mkcalendar(t testing.TB, user, name, component string) string {
	t.Helper()
	var n strings.Builder
	_ = xml.EscapeText(&n, []byte(name))
	body := `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
<D:displayname>` + n.String() + `</D:displayname>
<C:supported-calendar-component-set><C:comp name="` + component + `"/></C:supported-calendar-component-set>
</D:prop></D:set></C:mkcalendar>`
	u := s.CalendarURL(user, name)
	s.do(t, user, "MKCALENDAR", u, "application/xml; charset=utf-8", []byte(body), http.StatusCreated)
	return u
}

// Import creates the calendar name of user from one iCalendar file holding
// many components, in one request (Radicale only: each UID becomes an object
// named "UID.ics"). Seeding thousands of objects by single PUTs takes
// minutes on Radicale, whose every PUT scans the whole collection.
func (s *Server) Import(t testing.TB, user, name string, ics []byte) string {
	t.Helper()
	if s.Kind != "radicale" {
		t.Fatalf("caldavtest: Import needs Radicale, not %s", s.Kind)
	}
	u := s.CalendarURL(user, name)
	s.do(t, user, http.MethodPut, u, "text/calendar; charset=utf-8", ics, http.StatusCreated)
	return u
}

// Put stores ics at href (a path or a URL) without conditions and returns
// the ETag the server answered with.
func (s *Server) Put(t testing.TB, user, href string, ics []byte) string {
	t.Helper()
	resp := s.do(t, user, http.MethodPut, s.resolve(t, href), "text/calendar; charset=utf-8", ics,
		http.StatusCreated, http.StatusNoContent, http.StatusOK)
	return resp.Header.Get("ETag")
}

// Delete removes href without conditions.
func (s *Server) Delete(t testing.TB, user, href string) {
	t.Helper()
	s.do(t, user, http.MethodDelete, s.resolve(t, href), "", nil, http.StatusOK, http.StatusNoContent)
}

func (s *Server) resolve(t testing.TB, href string) string {
	t.Helper()
	base, _ := url.Parse(s.URL)
	ref, err := url.Parse(href)
	if err != nil {
		t.Fatalf("caldavtest: bad href %q: %v", href, err)
	}
	return base.ResolveReference(ref).String()
}

// do sends a seeding request straight to the server process, past the
// proxy, so that Requests counts only what the code under test sent.
func (s *Server) do(t testing.TB, user, method, u, contentType string, body []byte, want ...int) *http.Response {
	t.Helper()
	direct, err := url.Parse(u)
	if err != nil {
		t.Fatalf("caldavtest: %v", err)
	}
	s.mu.Lock()
	direct.Host = s.backend.Host
	s.mu.Unlock()
	req, err := http.NewRequest(method, direct.String(), bytes.NewReader(body))
	if err != nil {
		t.Fatalf("caldavtest: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if pw, ok := s.users[user]; ok {
		req.SetBasicAuth(user, pw)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("caldavtest: %s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	for _, code := range want {
		if resp.StatusCode == code {
			return resp
		}
	}
	t.Fatalf("caldavtest: %s %s: %s: %s", method, u, resp.Status, msg)
	return nil
}

// TryPut stores ics at href without conditions and returns the status,
// whatever it is: for input the server itself may refuse.
func (s *Server) TryPut(t testing.TB, user, href string, ics []byte) int {
	t.Helper()
	resp := s.do(t, user, http.MethodPut, s.resolve(t, href), "text/calendar; charset=utf-8", ics, allStatuses...)
	return resp.StatusCode
}

var allStatuses = func() []int {
	var out []int
	for c := 100; c < 600; c++ {
		out = append(out, c)
	}
	return out
}()
