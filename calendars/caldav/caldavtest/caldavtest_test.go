package caldavtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
)

const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone//test//EN\r\nBEGIN:VEVENT\r\n" +
	"UID:harness@test\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250106T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

func TestRadicaleHarness(t *testing.T) {
	srv := caldavtest.StartRadicale(t, caldavtest.User{Name: "ada", Password: "pw"})
	coll := srv.MakeCalendar(t, "ada", "work")
	if etag := srv.Put(t, "ada", coll+"a.ics", []byte(ics)); etag == "" {
		t.Error("Put returned no etag")
	}
	if got := srv.Requests(); len(got) != 0 {
		t.Errorf("seeding was counted: %v", got)
	}
	if status := get(t, coll+"a.ics", "ada", "pw"); status != http.StatusOK {
		t.Errorf("GET as ada: %d", status)
	}
	if status := get(t, coll+"a.ics", "test", "testpass"); status != http.StatusForbidden {
		t.Errorf("GET as another user: %d, want 403", status)
	}
	if got := srv.Requests(); len(got) != 2 || got[0].Method != "GET" || got[0].Status != 200 {
		t.Errorf("Requests = %v", got)
	}

	srv.Stop()
	if status := get(t, coll+"a.ics", "ada", "pw"); status != http.StatusBadGateway {
		t.Errorf("GET while stopped: %d, want 502", status)
	}
	srv.Restart(t)
	if status := get(t, coll+"a.ics", "ada", "pw"); status != http.StatusOK {
		t.Errorf("GET after restart: %d", status)
	}
	srv.Delete(t, "ada", coll+"a.ics")
}

func TestXandikosHarness(t *testing.T) {
	srv := caldavtest.StartXandikos(t)
	coll := srv.MakeCalendar(t, "", "second")
	srv.Put(t, "", coll+"a.ics", []byte(ics))
	if status := get(t, coll+"a.ics", "", ""); status != http.StatusOK {
		t.Errorf("GET: %d", status)
	}
}

func get(t *testing.T, u, user, pw string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if user != "" {
		req.SetBasicAuth(user, pw)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestCyrusHarness(t *testing.T) {
	srv := caldavtest.StartCyrus(t, caldavtest.User{Name: "ada", Password: "pw"})
	coll := srv.CalendarURL("ada", "Default")
	// Cyrus wants an end (or a date-valued start).
	srv.Put(t, "ada", coll+"a.ics", []byte(strings.Replace(ics, "DTSTART:20250106T100000Z\r\n",
		"DTSTART:20250106T100000Z\r\nDTEND:20250106T103000Z\r\n", 1)))
	if status := get(t, coll+"a.ics", "ada", "pw"); status != http.StatusOK {
		t.Errorf("GET: %d", status)
	}
	if status := get(t, coll+"a.ics", "ada", "wrong"); status != http.StatusUnauthorized {
		t.Errorf("GET with a wrong password: %d, want 401", status)
	}
	if got := srv.IMIPMessages(t); len(got) != 0 {
		t.Errorf("an event without attendees sent iMIP: %v", got)
	}
}
