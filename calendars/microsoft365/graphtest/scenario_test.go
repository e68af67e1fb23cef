package graphtest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

var dec22 = dec15.AddDate(0, 0, 7)

func ids(events []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, e := range events {
		out[e["id"].(string)] = e
	}
	return out
}

func TestSplitSeriesEndsOneAndStartsAnother(t *testing.T) {
	f := setup(t)
	_, link, _ := f.deltaAll(t, window(), 0)
	newStart := time.Date(2026, 12, 22, 11, 0, 0, 0, berlin(t))
	newUID := f.srv.SplitSeries(f.uid, dec22, newStart)
	if newUID == f.uid {
		t.Fatal("the new half kept the iCalUId")
	}
	events, _, _ := f.deltaAll(t, link, 0)
	got := ids(events)
	old := got[f.srv.EventID(grace, f.uid, time.Time{})]
	if old == nil || old["recurrence"].(map[string]any)["range"].(map[string]any)["endDate"] != "2026-12-21" {
		t.Errorf("old master after the split: %v", old)
	}
	for _, os := range []time.Time{dec22, dec22.AddDate(0, 0, 7)} {
		if e := got[f.srv.EventID(grace, f.uid, os)]; e == nil || e["@removed"] == nil {
			t.Errorf("old occurrence %s not removed: %v", os, e)
		}
	}
	if m := got[f.srv.EventID(grace, newUID, time.Time{})]; m == nil || m["iCalUId"] != newUID || m["isOrganizer"] != false {
		t.Errorf("new master in Grace's delta: %v", m)
	}
	if byType(events)["occurrence"] != 2 {
		t.Errorf("new occurrences: %v", byType(events))
	}
}

func TestDeclinedOccurrenceLeavesOrStays(t *testing.T) {
	f := setup(t)
	_, link, _ := f.deltaAll(t, window(), 0)
	f.srv.Respond(grace, f.uid, dec15, ResponseDeclined, true)
	f.srv.Respond(grace, f.uid, dec22, ResponseDeclined, false)
	events, _, _ := f.deltaAll(t, link, 0)
	got := ids(events)
	if e := got[f.srv.EventID(grace, f.uid, dec15)]; e == nil || e["@removed"] == nil {
		t.Errorf("declined and removed: %v", e)
	}
	if e := got[f.srv.EventID(grace, f.uid, dec22)]; e == nil || e["responseStatus"].(map[string]any)["response"] != ResponseDeclined {
		t.Errorf("declined and kept: %v", e)
	}
	e, _ := f.srv.Event(ada, f.srv.EventID(ada, f.uid, dec15))
	if len(e.Attendees) != 1 || e.Attendees[0].Response != ResponseDeclined || e.Type != "exception" {
		t.Errorf("the organizer's copy does not show Grace's decline: %+v", e)
	}
}

func TestAddRoomIsAResourceAttendee(t *testing.T) {
	f := setup(t)
	f.srv.AddRoom(f.uid, room)
	_, _, ev := f.do(t, "GET", "users/"+grace+"/events/"+f.srv.EventID(grace, f.uid, time.Time{}), nil, nil)
	var types []string
	for _, a := range ev["attendees"].([]any) {
		types = append(types, a.(map[string]any)["type"].(string))
	}
	if strings.Join(types, ",") != "required,resource" {
		t.Errorf("attendee types %v", types)
	}
	if n := f.srv.GraphNotifications(); n != 0 || len(f.srv.Notifications()) != 2 {
		t.Errorf("a room added in Outlook: %d from Graph, %+v", n, f.srv.Notifications())
	}
}

func TestSeriesKeepsWallClockAcrossDST(t *testing.T) {
	f := setup(t)
	la, _ := time.LoadLocation("America/Los_Angeles")
	uid := f.srv.CreateMeeting(Meeting{Organizer: bob, Attendees: []string{grace}, Subject: "Bob / Grace",
		Start: time.Date(2027, 3, 1, 9, 0, 0, 0, la), Duration: time.Hour, TimeZone: "Pacific Standard Time",
		Recurrence: &Recurrence{Pattern: "weekly", Count: 3}})
	events, _, _ := f.deltaAll(t, "users/"+grace+"/calendarView/delta?startDateTime=2027-02-28T00:00:00Z&endDateTime=2027-04-01T00:00:00Z", 0)
	var starts []string
	for _, e := range events {
		if e["type"] == "occurrence" && e["seriesMasterId"] == f.srv.EventID(grace, uid, time.Time{}) {
			starts = append(starts, e["start"].(map[string]any)["dateTime"].(string)[:16])
		}
	}
	// US DST starts on 14 March 2027: 09:00 Pacific is 17:00 UTC before, 16:00 after.
	if strings.Join(starts, " ") != "2027-03-01T17:00 2027-03-08T17:00 2027-03-15T16:00" {
		t.Errorf("UTC starts across the DST change: %v", starts)
	}
}

func TestOrganizerBodyEditReachesAttendeesAttendeeEditDoesNot(t *testing.T) {
	f := setup(t)
	f.srv.EditBody(grace, f.uid, time.Time{}, "<p>Grace's private notes</p>")
	if e, _ := f.srv.Event(ada, f.srv.EventID(ada, f.uid, time.Time{})); strings.Contains(e.BodyHTML, "Grace") {
		t.Errorf("an attendee's edit reached the organizer: %q", e.BodyHTML)
	}
	f.srv.EditBody(ada, f.uid, time.Time{}, "<p>New plan</p>")
	if e, _ := f.srv.Event(grace, f.srv.EventID(grace, f.uid, time.Time{})); !strings.Contains(e.BodyHTML, "New plan") {
		t.Errorf("the organizer's edit did not reach Grace: %q", e.BodyHTML)
	}
	if notes := f.srv.Notifications(); len(notes) != 1 || notes[0].Via != ViaScenario || notes[0].To != grace {
		t.Errorf("notifications %+v", notes)
	}
}

func TestDeleteByOrganizerCancelsForAttendees(t *testing.T) {
	f := setup(t)
	status, _, _ := f.do(t, "DELETE", "users/"+ada+"/events/"+f.srv.EventID(ada, f.uid, dec15), nil, nil)
	if status != 204 {
		t.Fatalf("delete: %d", status)
	}
	if _, ok := f.srv.Event(ada, f.srv.EventID(ada, f.uid, dec15)); ok {
		t.Error("the organizer still has the deleted occurrence")
	}
	e, ok := f.srv.Event(grace, f.srv.EventID(grace, f.uid, dec15))
	if !ok || !e.IsCancelled || !strings.HasPrefix(e.Subject, "Canceled: ") {
		t.Errorf("Grace's copy after the organizer's delete: %+v", e)
	}
	notes := f.srv.Notifications()
	if len(notes) != 1 || notes[0].Kind != KindCancel || notes[0].Via != ViaGraph {
		t.Errorf("notifications %+v", notes)
	}
}

func TestHangUntilTheClientGivesUp(t *testing.T) {
	f := setup(t)
	f.srv.InjectFault(Fault{Hang: time.Minute})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.srv.GraphEndpoint()+"users/"+grace+"/calendar", nil)
	start := time.Now()
	if _, err := f.c.Do(req); err == nil {
		t.Fatal("a hung request answered")
	}
	if time.Since(start) > 10*time.Second {
		t.Error("the hang did not end with the client")
	}
	if status, _, _ := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil); status != 200 {
		t.Errorf("after the hang: %d", status)
	}
}

func TestTokenEndpointFaultAndDiscovery(t *testing.T) {
	f := setup(t)
	f.srv.InjectFault(Fault{Status: 503, RetryAfter: 2 * time.Second, Path: "/oauth2/v2.0/token"})
	re := tokenErr(t, f.srv, domain, clientID, secret)
	if re.Response.StatusCode != 503 || re.Response.Header.Get("Retry-After") != "2" {
		t.Errorf("token endpoint fault: %d %q", re.Response.StatusCode, re.Response.Header.Get("Retry-After"))
	}
	get := func(path string) (int, map[string]any) {
		status, _, body := f.do(t, "GET", f.srv.URL+path, nil, nil)
		return status, body
	}
	status, cfg := get("/" + domain + "/v2.0/.well-known/openid-configuration")
	if status != 200 || cfg["token_endpoint"] != f.srv.TokenURL(f.tenant) {
		t.Errorf("openid configuration: %d %v", status, cfg)
	}
	status, inst := get("/common/discovery/instance?api-version=1.1&authorization_endpoint=" + f.srv.URL + "/" + domain + "/oauth2/v2.0/authorize")
	if status != 200 || inst["tenant_discovery_endpoint"] != f.srv.URL+"/"+domain+"/v2.0/.well-known/openid-configuration" {
		t.Errorf("instance discovery: %d %v", status, inst)
	}
	status, body := get("/fabrikam.example/v2.0/.well-known/openid-configuration")
	if status != 400 || !strings.HasPrefix(body["error_description"].(string), "AADSTS90002") {
		t.Errorf("unknown tenant's configuration: %d %v", status, body)
	}
}

func TestOutlookLimitPerAppAndMailbox(t *testing.T) {
	f := setup(t)
	now := t0
	f.srv.Now = func() time.Time { return now }
	f.srv.SetOutlookLimit(2, time.Minute)
	for i, want := range []int{200, 200, 429} {
		if status, _, _ := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil); status != want {
			t.Errorf("request %d to Grace: %d, want %d", i, status, want)
		}
	}
	status, hdr, body := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil)
	if status != 429 || hdr.Get("Retry-After") != "60" || body["error"].(map[string]any)["code"] != "ApplicationThrottled" {
		t.Errorf("throttled: %d %q %v", status, hdr.Get("Retry-After"), body)
	}
	if status, _, _ := f.do(t, "GET", "users/"+ada+"/calendar", nil, nil); status != 200 {
		t.Errorf("another mailbox has its own budget: %d", status)
	}
	now = now.Add(time.Minute)
	if status, _, _ := f.do(t, "GET", "users/"+grace+"/calendar", nil, nil); status != 200 {
		t.Errorf("after the window: %d", status)
	}
}

func TestMoveSeriesGivesOccurrencesNewTimesAndIDs(t *testing.T) {
	f := setup(t)
	_, link, _ := f.deltaAll(t, window(), 0)
	f.srv.MoveOccurrence(f.uid, dec15, dec15.Add(time.Hour))
	f.srv.MoveSeries(f.uid, time.Date(2026, 12, 9, 14, 0, 0, 0, berlin(t)))
	events, _, _ := f.deltaAll(t, link, 0)
	got := byType(events)
	if got["removed"] != 4 || got["occurrence"] != 4 || got["seriesMaster"] != 1 || got["exception"] != 0 {
		t.Errorf("after moving the series: %v", got)
	}
	for _, e := range events {
		if e["type"] == "occurrence" && !strings.HasSuffix(e["start"].(map[string]any)["dateTime"].(string), "T13:00:00.0000000") {
			t.Errorf("occurrence at %v, want Wednesdays 13:00 UTC", e["start"])
		}
	}
}

func TestOrganizerUpdateReplacesAttendeeNotes(t *testing.T) {
	f := setup(t)
	f.srv.EditBody(grace, f.uid, dec15, "<p>Grace's agenda</p>")
	f.srv.MoveOccurrence(f.uid, dec15, dec15.Add(time.Hour))
	e, _ := f.srv.Event(grace, f.srv.EventID(grace, f.uid, dec15))
	if strings.Contains(e.BodyHTML, "Grace's agenda") || !strings.Contains(e.BodyHTML, "Ada's notes") || !e.Start.Equal(dec15.Add(time.Hour)) {
		t.Errorf("Grace's copy after Ada moved the meeting: %+v", e)
	}
}
