package caldavfs_test

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavfs"
)

var badCalendars = map[string]string{
	"empty":             "",
	"garbage":           "this is not a calendar\r\n",
	"binary":            "\x00\xff\xfe BEGIN:\x00",
	"no end":            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n",
	"wrong end":         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
	"empty calendar":    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
	"no uid":            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	"two uids":          "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	"not a calendar":    "BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n",
	"two calendars":     string(event("a@test", "a")) + string(event("a@test", "a")),
	"bad content line":  "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID;X=\"unterminated:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	"continuation only": " \r\n\t\r\n",
	"deep nesting":      strings.Repeat("BEGIN:VCALENDAR\r\n", 100000),
}

func TestBadICalendarIsRefused(t *testing.T) {
	e := newEnv(t)
	for name, body := range badCalendars {
		_, err := e.cli.Put(ctx(t), e.path+"bad.ics", []byte(body), "")
		if status(err) != http.StatusBadRequest {
			t.Errorf("%s: Put = %v, want 400", name, err)
		}
		if _, err := e.srv.Put("work", "bad", []byte(body)); err == nil {
			t.Errorf("%s: Server.Put accepted it", name)
		}
	}
	if code, _, body := e.do(t, http.MethodPut, e.path+"x.ics", map[string]string{"Content-Type": "application/json"}, string(event("x@test", "x"))); code != http.StatusBadRequest {
		t.Errorf("PUT with a JSON content type = %d %s", code, body)
	}
	if code, _, body := e.do(t, http.MethodPut, e.path+"x.txt", nil, string(event("x@test", "x"))); code/100 == 2 {
		t.Errorf("PUT of a name without .ics = %d %s", code, body)
	}
	for _, body := range []string{"<propfind", "<x:y xmlns:x='z'><unclosed>", "\x00"} {
		for _, m := range []string{"PROPFIND", "REPORT"} {
			if code, _, _ := e.do(t, m, e.path, map[string]string{"Content-Type": "application/xml"}, body); code != http.StatusBadRequest && code != http.StatusForbidden {
				t.Errorf("%s with body %q = %d, want 400 or 403", m, body, code)
			}
		}
	}
	// The server still works, and nothing bad was stored.
	ch, _ := changes(t, e, caldav.Cursor{})
	if len(ch.Updated) != 0 {
		t.Errorf("after the bad writes: %d objects", len(ch.Updated))
	}
	if _, err := e.cli.Put(ctx(t), e.path+"ok.ics", event("ok@test", "fine"), ""); err != nil {
		t.Errorf("a good Put after the bad ones: %v", err)
	}
}

func FuzzPut(f *testing.F) {
	for _, body := range badCalendars {
		f.Add([]byte(body))
	}
	f.Add(event("a@test", "a"))
	srv, err := caldavfs.New(f.TempDir(), caldavfs.Options{})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := srv.MakeCalendar("c"); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		etag, err := srv.Put("c", "x", data)
		if err != nil {
			return
		}
		got, etag2, err := srv.Get("c", "x")
		if err != nil || etag2 != etag || !bytes.Equal(got, data) {
			t.Fatalf("Get after Put: %q %q %v", got, etag2, err)
		}
	})
}

func TestCalendarQuery(t *testing.T) {
	e := newEnv(t)
	weekly := event("weekly@test", "weekly")
	// Valid for CalDAV but refused by go-ical's encoder (no DTSTAMP, no PRODID).
	sloppy := []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:sloppy@test\r\n" +
		"DTSTART:20250301T100000Z\r\nDTEND:20250301T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	old := []byte(strings.NewReplacer("RRULE:FREQ=WEEKLY\r\n", "", "20250106", "20200106", "weekly@", "old@").Replace(string(weekly)))
	for name, data := range map[string][]byte{"weekly": weekly, "sloppy": sloppy, "old": old} {
		if _, err := e.srv.Put("work", name, data); err != nil {
			t.Fatal(err)
		}
	}
	body := `<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` +
		`<D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR">` +
		`<C:comp-filter name="VEVENT"><C:time-range start="20250224T000000Z" end="20250310T000000Z"/>` +
		`</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`
	code, _, resp := e.do(t, "REPORT", e.path, map[string]string{"Content-Type": "application/xml", "Depth": "1"}, body)
	got := string(resp)
	if code != http.StatusMultiStatus || !strings.Contains(got, e.path+"weekly.ics") ||
		!strings.Contains(got, e.path+"sloppy.ics") || strings.Contains(got, "old.ics") {
		t.Fatalf("calendar-query = %d\n%s", code, got)
	}
	if !strings.Contains(got, "UID:sloppy@test&#xD;&#xA;DTSTART") {
		t.Errorf("calendar-data is not the stored bytes:\n%s", got)
	}
	sync := `<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`
	if code, _, resp := e.do(t, "REPORT", e.path, map[string]string{"Content-Type": "application/xml"}, sync); code != http.StatusForbidden || !strings.Contains(string(resp), "supported-report") {
		t.Errorf("sync-collection = %d %s, want 403 supported-report", code, resp)
	}
}

func TestPropfindAndGet(t *testing.T) {
	e := newEnv(t)
	etag, err := e.srv.Put("work", "a b", event("a@test", "a"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, resp := e.do(t, "PROPFIND", e.path, map[string]string{"Depth": "1"}, "")
	for _, want := range []string{"getctag", e.path + "a%20b.ics", strings.Trim(etag, `"`), "supported-calendar-component-set"} {
		if code != http.StatusMultiStatus || !strings.Contains(string(resp), want) {
			t.Errorf("allprop PROPFIND = %d lacks %q:\n%s", code, want, resp)
		}
	}
	for _, p := range []string{"/bob/", "/" + user + "/nocal/", e.path + "none.ics", "/" + user + "/a/b/c/"} {
		if code, _, _ := e.do(t, "PROPFIND", p, map[string]string{"Depth": "0"}, ""); code != http.StatusNotFound {
			t.Errorf("PROPFIND %s = %d, want 404", p, code)
		}
	}
	code, hdr, body := e.do(t, http.MethodGet, e.path+"a%20b.ics", nil, "")
	if code != http.StatusOK || hdr.Get("ETag") != etag || !strings.HasPrefix(hdr.Get("Content-Type"), "text/calendar") {
		t.Errorf("GET = %d %v", code, hdr)
	}
	sameBytes(t, "GET", body, event("a@test", "a"))
	if code, _, _ := e.do(t, http.MethodGet, e.path+"a%20b.ics", map[string]string{"If-None-Match": etag}, ""); code != http.StatusNotModified {
		t.Errorf("conditional GET = %d, want 304", code)
	}
	if code, _, _ := e.do(t, http.MethodGet, e.path, nil, ""); code != http.StatusMethodNotAllowed {
		t.Errorf("GET of a calendar = %d, want 405", code)
	}
}

func TestReopenAndOpenServer(t *testing.T) {
	dir := t.TempDir()
	srv, err := caldavfs.New(dir, caldavfs.Options{User: user})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.MakeCalendar("work"); err != nil {
		t.Fatal(err)
	}
	etag, err := srv.Put("work", "a.ics", event("a@test", "a"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, user, "work", "a.ics")); err != nil {
		t.Fatalf("the object is not a file where expected: %v", err)
	}
	os.WriteFile(filepath.Join(dir, user, "work", ".tmp-123"), []byte("partial"), 0o600)
	srv, err = caldavfs.New(dir, caldavfs.Options{User: user})
	if err != nil {
		t.Fatal(err)
	}
	e := serve(t, srv) // no password: no auth
	if code, _, _ := e.do(t, "PROPFIND", "/", map[string]string{"Depth": "0"}, ""); code != http.StatusMultiStatus {
		t.Errorf("PROPFIND without a password configured = %d", code)
	}
	ch, _ := changes(t, e, caldav.Cursor{})
	if len(ch.Updated) != 1 || ch.Updated[0].ETag != etag {
		t.Errorf("after reopening: %+v, want a.ics with etag %s", ch.Updated, etag)
	}
	if _, _, err := srv.Get("work", "nope"); !errors.Is(err, caldavfs.ErrNotFound) {
		t.Errorf("Get of a missing object: %v", err)
	}
	if _, err := srv.MakeCalendar("../escape"); err == nil {
		t.Error("MakeCalendar accepted a path")
	}
}
