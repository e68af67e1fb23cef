package caldav_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
)

func event(uid, summary string) []byte {
	return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone//test//EN\r\n" +
		"BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20250101T000000Z\r\n" +
		"DTSTART:20250106T100000Z\r\nDURATION:PT30M\r\nRRULE:FREQ=WEEKLY\r\n" +
		"SUMMARY:" + summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
}

func newClient(t testing.TB, u string, opt caldav.Options) *caldav.Client {
	t.Helper()
	c, err := caldav.New(u, opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func changes(t testing.TB, c *caldav.Client, coll string, cur caldav.Cursor) (caldav.Changes, caldav.Cursor) {
	t.Helper()
	ch, next, err := c.Changes(ctx(t), coll, cur)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	return ch, next
}

// seed puts n events named e0..e(n-1) into coll and returns their paths.
func seed(t testing.TB, put func(t testing.TB, href string, ics []byte) string, coll string, from, n int) []string {
	t.Helper()
	var hrefs []string
	for i := from; i < from+n; i++ {
		u := coll + fmt.Sprintf("e%d.ics", i)
		put(t, u, event(fmt.Sprintf("uid-%d@test", i), fmt.Sprintf("1:1 number %d", i)))
		hrefs = append(hrefs, pathOf(u))
	}
	return hrefs
}

func pathOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		panic(err)
	}
	return p.Path
}

func updatedHrefs(ch caldav.Changes) []string {
	var hrefs []string
	for _, o := range ch.Updated {
		hrefs = append(hrefs, o.Href)
	}
	slices.Sort(hrefs)
	return hrefs
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func wantHrefs(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(sorted(got), sorted(want)) {
		t.Errorf("%s = %q, want %q", what, sorted(got), sorted(want))
	}
}

// checkObjects asserts that every updated object carries its own event.
func checkObjects(t testing.TB, ch caldav.Changes) {
	t.Helper()
	for _, o := range ch.Updated {
		name := strings.TrimSuffix(o.Href[strings.LastIndex(o.Href, "/")+1:], ".ics")
		if !bytes.Contains(o.Data, []byte("UID:uid-"+strings.TrimPrefix(name, "e")+"@test")) {
			t.Errorf("%s: data does not hold its event:\n%s", o.Href, o.Data)
		}
		if o.ETag == "" {
			t.Errorf("%s: no etag", o.Href)
		}
	}
}

// hook is an http.RoundTripper that lets a test act before a request goes out.
type hook struct {
	before func(req *http.Request, body []byte)
}

func (h hook) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	h.before(req, body)
	return http.DefaultTransport.RoundTrip(req)
}
