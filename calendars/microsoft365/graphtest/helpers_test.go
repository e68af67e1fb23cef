package graphtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2/clientcredentials"
)

const (
	domain   = "contoso.onmicrosoft.com"
	clientID = "11111111-2222-3333-4444-555555555555"
	secret   = "s3cr3t~value"
	ada      = "ada@contoso.com"
	grace    = "grace@contoso.com"
	bob      = "bob@contoso.com"
	room     = "room-1@contoso.com"
)

// t0 is the fake's clock in these tests: a Monday.
var t0 = time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)

type fixture struct {
	srv    *Server
	tenant string
	c      *http.Client // authenticated
	uid    string       // a weekly 1:1 Ada (organizer) / Grace, Tuesdays 10:00 Berlin
}

func setup(t *testing.T) *fixture {
	t.Helper()
	srv := New()
	t.Cleanup(srv.Close)
	now := t0
	srv.Now = func() time.Time { return now }
	f := &fixture{srv: srv, tenant: srv.AddTenant(domain)}
	srv.AddApp(domain, clientID, secret, CalendarsReadWrite)
	for _, a := range []string{ada, grace, bob} {
		srv.AddMailbox(domain, a, a[:1])
	}
	f.uid = srv.CreateMeeting(Meeting{Organizer: ada, Attendees: []string{grace}, Subject: "Ada / Grace",
		Body: "<p>Ada's notes</p>", Start: time.Date(2026, 12, 8, 10, 0, 0, 0, berlin(t)),
		Duration: 30 * time.Minute, TimeZone: "W. Europe Standard Time",
		Recurrence: &Recurrence{Pattern: "weekly", Interval: 1}})
	cc := clientcredentials.Config{ClientID: clientID, ClientSecret: secret,
		TokenURL: srv.TokenURL(domain), Scopes: []string{GraphScope}}
	f.c = cc.Client(t.Context())
	return f
}

func berlin(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// do sends a request to Graph and decodes a JSON answer.
func (f *fixture) do(t *testing.T, method, path string, hdr map[string]string, body any) (int, http.Header, map[string]any) {
	t.Helper()
	url := path
	if len(path) > 0 && path[0] != 'h' {
		url = f.srv.GraphEndpoint() + path
	}
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, resp.Header, out
}

// deltaAll follows a delta round to its deltaLink and returns the events
// and the deltaLink.
func (f *fixture) deltaAll(t *testing.T, first string, pageSize int) ([]map[string]any, string, int) {
	t.Helper()
	link, pages := first, 0
	var all []map[string]any
	for {
		hdr := map[string]string{"Prefer": `outlook.timezone="UTC"`}
		if pageSize > 0 {
			hdr["Prefer"] += ", odata.maxpagesize=" + itoa(pageSize)
		}
		code, _, body := f.do(t, "GET", link, hdr, nil)
		if code != 200 {
			t.Fatalf("delta page %d: %d %v", pages, code, body)
		}
		pages++
		for _, v := range body["value"].([]any) {
			all = append(all, v.(map[string]any))
		}
		if next, ok := body["@odata.nextLink"].(string); ok {
			link = next
			continue
		}
		return all, body["@odata.deltaLink"].(string), pages
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func window() string {
	return "users/" + grace + "/calendarView/delta?startDateTime=2026-12-07T00:00:00Z&endDateTime=2027-01-04T00:00:00Z"
}

func byType(events []map[string]any) map[string]int {
	out := map[string]int{}
	for _, e := range events {
		if _, ok := e["@removed"]; ok {
			out["removed"]++
			continue
		}
		out[e["type"].(string)]++
	}
	return out
}
