package graphtest

import (
	"strings"
	"testing"
	"time"
)

var dec15 = time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC)

func TestPatchAttendeeCopyNotifiesNobody(t *testing.T) {
	f := setup(t)
	id := f.srv.EventID(grace, f.uid, dec15)
	status, hdr, ev := f.do(t, "GET", "users/"+grace+"/events/"+id, nil, nil)
	if status != 200 || ev["type"] != "occurrence" || hdr.Get("ETag") != ev["@odata.etag"] {
		t.Fatalf("get occurrence: %d %v", status, ev)
	}
	etag := ev["@odata.etag"].(string)
	status, _, upd := f.do(t, "PATCH", "users/"+grace+"/events/"+id, map[string]string{"If-Match": etag},
		map[string]any{"body": map[string]any{"contentType": "text", "content": "Agenda\n1. <hiring>"}})
	if status != 200 || upd["type"] != "exception" || upd["id"] != id || upd["@odata.etag"] == etag {
		t.Fatalf("patch: %d %v", status, upd)
	}
	body := upd["body"].(map[string]any)
	if body["contentType"] != "html" || !strings.Contains(body["content"].(string), "Agenda<br>") ||
		!strings.Contains(body["content"].(string), "&lt;hiring&gt;") || !strings.Contains(body["content"].(string), "<html>") {
		t.Errorf("stored body %v", body)
	}
	if n := f.srv.GraphNotifications(); n != 0 {
		t.Errorf("an attendee's write sent %d notifications", n)
	}
	if e, ok := f.srv.Event(ada, f.srv.EventID(ada, f.uid, dec15)); !ok || strings.Contains(e.BodyHTML, "Agenda") {
		t.Errorf("Grace's write reached Ada's copy (found %v): %q", ok, e.BodyHTML)
	}
	status, _, errBody := f.do(t, "PATCH", "users/"+grace+"/events/"+id, map[string]string{"If-Match": etag},
		map[string]any{"subject": "x"})
	if status != 412 || errBody["error"].(map[string]any)["code"] != "ErrorIrresolvableConflict" {
		t.Errorf("stale If-Match: %d %v", status, errBody)
	}
}

func TestPatchOrganizerCopyNotifiesEveryAttendee(t *testing.T) {
	f := setup(t)
	id := f.srv.EventID(ada, f.uid, dec15)
	status, _, _ := f.do(t, "PATCH", "users/"+ada+"/events/"+id, nil,
		map[string]any{"body": map[string]any{"contentType": "html", "content": "<p>Agenda</p>"}})
	if status != 200 {
		t.Fatal(status)
	}
	notes := f.srv.Notifications()
	if len(notes) != 1 || notes[0].To != grace || notes[0].Via != ViaGraph || !notes[0].OriginalStart.Equal(dec15) {
		t.Errorf("notifications %+v", notes)
	}
	if e, _ := f.srv.Event(grace, f.srv.EventID(grace, f.uid, dec15)); !strings.Contains(e.BodyHTML, "<p>Agenda</p>") {
		t.Errorf("the organizer's update did not reach Grace's copy: %q", e.BodyHTML)
	}
	// A change that is no meeting change (a reminder) sends nothing.
	f.do(t, "PATCH", "users/"+ada+"/events/"+id, nil, map[string]any{"isReminderOn": false})
	if n := f.srv.GraphNotifications(); n != 1 {
		t.Errorf("a reminder change sent updates: %d", n)
	}
}

func TestPreferTimeZoneAndTextBody(t *testing.T) {
	f := setup(t)
	id := f.srv.EventID(grace, f.uid, time.Time{})
	_, hdr, ev := f.do(t, "GET", "users/"+grace+"/events/"+id,
		map[string]string{"Prefer": `outlook.timezone="Pacific Standard Time", outlook.body-content-type="text"`}, nil)
	st := ev["start"].(map[string]any)
	if st["timeZone"] != "Pacific Standard Time" || st["dateTime"] != "2026-12-08T01:00:00.0000000" {
		t.Errorf("start %v", st)
	}
	if b := ev["body"].(map[string]any); b["contentType"] != "text" || b["content"] != "Ada's notes" {
		t.Errorf("text body %v", b)
	}
	if !strings.Contains(hdr.Get("Preference-Applied"), `outlook.body-content-type="text"`) {
		t.Errorf("Preference-Applied %q", hdr.Get("Preference-Applied"))
	}
	if ev["recurrence"].(map[string]any)["range"].(map[string]any)["recurrenceTimeZone"] != "W. Europe Standard Time" {
		t.Errorf("recurrence %v", ev["recurrence"])
	}
	_, _, ev = f.do(t, "GET", "users/"+grace+"/events/"+id, nil, nil)
	if ev["start"].(map[string]any)["timeZone"] != "UTC" || ev["body"].(map[string]any)["contentType"] != "html" {
		t.Errorf("defaults: %v %v", ev["start"], ev["body"])
	}
}

func TestUnknownEventAndProperty(t *testing.T) {
	f := setup(t)
	status, _, body := f.do(t, "GET", "users/"+grace+"/events/AAMkNope=", nil, nil)
	if status != 404 || body["error"].(map[string]any)["code"] != "ErrorItemNotFound" {
		t.Errorf("unknown event: %d %v", status, body)
	}
	id := f.srv.EventID(grace, f.uid, time.Time{})
	status, _, body = f.do(t, "PATCH", "users/"+grace+"/events/"+id, nil, map[string]any{"descripton": "x"})
	if status != 400 || !strings.Contains(body["error"].(map[string]any)["message"].(string), "descripton") {
		t.Errorf("unknown property: %d %v", status, body)
	}
	status, _, _ = f.do(t, "GET", "users/nobody@contoso.com/events/"+id, nil, nil)
	if status != 404 {
		t.Errorf("unknown user: %d", status)
	}
}
