package google

import (
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"

	"github.com/oneonone/oneonone/calendars/google/googletest"
)

func TestPagesAndTheTokenOfTheLastPage(t *testing.T) {
	srv, _, clk := setup(t)
	for i := range 5 {
		srv.AddRecurring(ada, googletest.Recurring{Summary: "s", Start: firstTuesday.AddDate(0, 0, i), TZ: "Europe/Berlin", RRule: "FREQ=WEEKLY"})
	}
	var lists atomic.Int32
	failPage := int32(-1)
	opt := options(clk)
	opt.PageSize = 2
	opt.HTTPClient = &http.Client{Transport: hookTransport{before: func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/events") && lists.Add(1) == failPage {
			srv.FailNext("events.list", 400, "badRequest", "")
		}
	}}}
	c := serviceClient(t, srv, ada, opt)

	failPage = 2 // the second page of the first listing fails
	ch, cur, err := c.Changes(t.Context(), ada, Cursor{})
	if err == nil || cur.SyncToken != "" || ch.Requests != 2 {
		t.Fatalf("a failed page: err %v, cursor %+v, %d requests; want an error and no token", err, cur, ch.Requests)
	}
	ch, cur, err = c.Changes(t.Context(), ada, Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Updated) != 5 || ch.Requests != 3 || !ch.Resynced || cur.SyncToken == "" || len(cur.Events) != 5 || ch.Bytes == 0 {
		t.Errorf("full listing: %d objects in %d requests (%d bytes), resynced %v, cursor %+v", len(ch.Updated), ch.Requests, ch.Bytes, ch.Resynced, cur)
	}
	log := srv.Requests("events.list")
	for _, r := range log[len(log)-3:] {
		if r.Query.Get("showDeleted") != "true" || r.Query.Get("maxResults") != "2" || r.Query.Get("syncToken") != "" {
			t.Errorf("listing request %v", r.Query)
		}
	}
	if log[len(log)-1].Query.Get("pageToken") == "" {
		t.Error("the last page was not asked for with a pageToken")
	}
	idle, next, err := c.Changes(t.Context(), ada, cur)
	if err != nil || idle.Requests != 1 || len(idle.Updated)+len(idle.Deleted) != 0 || idle.Resynced || next.SyncToken == "" {
		t.Errorf("idle poll: %v, %+v", err, idle)
	}
	if q := srv.Requests("events.list"); q[len(q)-1].Query.Get("syncToken") != cur.SyncToken {
		t.Errorf("idle poll did not use the stored token: %v", q[len(q)-1].Query)
	}
}

func TestExpiredTokenRelistsAndReconciles(t *testing.T) {
	srv, c, _ := setup(t)
	id, uid := weekly(srv)
	_, cur, err := c.Changes(t.Context(), ada, Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	cur.Events["ghost"] = "ghost@google.com" // delivered once, deleted while nobody listened
	moved := time.Date(2026, 12, 1, 10, 0, 0, 0, berlin)
	srv.MoveOccurrence(ada, id, moved, moved.Add(26*time.Hour))
	srv.ExpireSyncTokens()
	ch, next, err := c.Changes(t.Context(), ada, cur)
	if err != nil {
		t.Fatal(err)
	}
	inst := InstanceID(id, moved, false)
	if !ch.Resynced || ch.Requests != 2 || !slices.Equal(ch.Deleted, []string{"ghost"}) || len(ch.Updated) != 2 {
		t.Errorf("after 410: resynced %v, %d requests, deleted %v, %d updated", ch.Resynced, ch.Requests, ch.Deleted, len(ch.Updated))
	}
	if next.Events[inst] != uid || next.Events["ghost"] != "" || next.SyncToken == cur.SyncToken {
		t.Errorf("cursor after the resync: %+v", next)
	}
	if got := srv.Requests("events.list"); got[len(got)-2].Status != 410 || got[len(got)-1].Query.Get("syncToken") != "" {
		t.Errorf("want a 410 then a listing without token: %d, %v", got[len(got)-2].Status, got[len(got)-1].Query)
	}
}

func TestCancelledInstanceCarriesTheMastersUID(t *testing.T) {
	srv, c, _ := setup(t)
	id, uid := weekly(srv)
	_, cur, err := c.Changes(t.Context(), ada, Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	gone := time.Date(2026, 12, 8, 10, 0, 0, 0, berlin)
	srv.CancelOccurrence(ada, id, gone)
	inst := InstanceID(id, gone, false)
	for _, tc := range []struct {
		name     string
		events   map[string]string
		requests int
	}{
		{"known master", cur.Events, 1},
		{"master fetched once", nil, 2}, // a cursor that lost the map
	} {
		ch, next, err := c.Changes(t.Context(), ada, Cursor{SyncToken: cur.SyncToken, Events: tc.events})
		if err != nil {
			t.Fatal(err)
		}
		data := byHref(ch.Updated)[inst]
		for _, want := range []string{"UID:" + uid + "\r\n", "RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000\r\n",
			"DTSTART;TZID=Europe/Berlin:20261208T100000\r\n", "STATUS:CANCELLED\r\n"} {
			if !strings.Contains(data, want) {
				t.Errorf("%s: cancelled instance lacks %q:\n%s", tc.name, want, data)
			}
		}
		if ch.Requests != tc.requests || next.Events[id] != uid {
			t.Errorf("%s: %d requests, cursor %v", tc.name, ch.Requests, next.Events)
		}
	}
	if got := srv.Requests("events.get"); len(got) != 1 || !strings.HasSuffix(got[0].Path, "/events/"+id) {
		t.Errorf("events.get requests: %+v", got)
	}
}

func TestDeletedSeriesTakesItsExceptions(t *testing.T) {
	srv, c, _ := setup(t)
	id, _ := weekly(srv)
	other, _ := srv.AddRecurring(ada, googletest.Recurring{Summary: "other", Start: firstTuesday, TZ: "Europe/Berlin", RRule: "FREQ=DAILY"})
	moved := time.Date(2026, 12, 1, 10, 0, 0, 0, berlin)
	srv.MoveOccurrence(ada, id, moved, moved.Add(time.Hour))
	_, cur, err := c.Changes(t.Context(), ada, Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	srv.DeleteEvent(ada, id)
	ch, next, err := c.Changes(t.Context(), ada, cur)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{id, InstanceID(id, moved, false)}
	if !slices.Equal(ch.Deleted, want) || len(ch.Updated) != 0 {
		t.Errorf("deleted %v, updated %d; want %v", ch.Deleted, len(ch.Updated), want)
	}
	if len(next.Events) != 1 || next.Events[other] == "" {
		t.Errorf("cursor keeps %v", next.Events)
	}
	// A full listing still names the deleted series (showDeleted): it is
	// not deleted twice, and nothing else is.
	srv.ExpireSyncTokens()
	ch, _, err = c.Changes(t.Context(), ada, next)
	if err != nil || len(ch.Deleted) != 0 || len(ch.Updated) != 1 {
		t.Errorf("resync after the delete: %v, deleted %v, %d updated", err, ch.Deleted, len(ch.Updated))
	}
}

func TestSplitGivesAShortenedMasterAndANewSeries(t *testing.T) {
	srv, c, _ := setup(t)
	id, uid := weekly(srv)
	_, cur, err := c.Changes(t.Context(), ada, Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 8, 10, 0, 0, 0, berlin)
	newID, newUID := srv.SplitSeries(ada, id, at, nil)
	ch, _, err := c.Changes(t.Context(), ada, cur)
	if err != nil {
		t.Fatal(err)
	}
	objs := byHref(ch.Updated)
	if !strings.Contains(objs[id], "UID:"+uid+"\r\n") || !strings.Contains(objs[id], "RRULE:FREQ=WEEKLY;UNTIL=20261208T085959Z\r\n") {
		t.Errorf("old master:\n%s", objs[id])
	}
	if !strings.Contains(objs[newID], "UID:"+newUID+"\r\n") || !strings.Contains(objs[newID], "DTSTART;TZID=Europe/Berlin:20261208T100000\r\n") {
		t.Errorf("new series:\n%s", objs[newID])
	}
}

func TestEmptyResyncDeletesNothing(t *testing.T) {
	srv, c, _ := setup(t)
	srv.AddCalendar("empty@example.com", ada)
	ch, next, err := c.Changes(t.Context(), "empty@example.com", Cursor{Events: map[string]string{"a": "a@google.com"}})
	if err != nil || len(ch.Deleted) != 0 || next.Events["a"] == "" {
		t.Errorf("an empty listing deleted %v (err %v)", ch.Deleted, err)
	}
}

func TestOneOffEventsPassOnlyWhenTheyUsedToRecur(t *testing.T) {
	srv, c, _ := setup(t)
	id, _ := weekly(srv)
	srv.AddRecurring(ada, googletest.Recurring{Summary: "lunch", Start: firstTuesday}) // no rule: a one-off
	ch, cur, err := c.Changes(t.Context(), ada, Cursor{})
	if err != nil || len(ch.Updated) != 1 || ch.Updated[0].Href != id || len(cur.Events) != 1 {
		t.Fatalf("first listing: %v, %d objects, cursor %v", err, len(ch.Updated), cur.Events)
	}
	svc, err := calendar.NewService(t.Context(), option.WithEndpoint(srv.Endpoint()), option.WithHTTPClient(srv.HTTPClient(ada)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Events.Patch(ada, id, &calendar.Event{NullFields: []string{"Recurrence"}}).Do(); err != nil {
		t.Fatal(err)
	}
	ch, _, err = c.Changes(t.Context(), ada, cur)
	if err != nil || len(ch.Updated) != 1 || strings.Contains(string(ch.Updated[0].Data), "RRULE") {
		t.Errorf("a series turned one-off: %v, %+v", err, ch.Updated)
	}
}
