package googletest

import (
	"fmt"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
)

func fullSync(t *testing.T, svc *calendar.Service, calID string, single bool) ([]*calendar.Event, string) {
	t.Helper()
	var items []*calendar.Event
	var token string
	err := svc.Events.List(calID).SingleEvents(single).MaxResults(3).Pages(t.Context(), func(p *calendar.Events) error {
		items = append(items, p.Items...)
		token = p.NextSyncToken
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return items, token
}

func TestListPagesSyncTokenOnLastPageOnly(t *testing.T) {
	srv, svc, _ := setup(t)
	weekly(srv)
	for i := range 6 {
		srv.AddRecurring(ada, Recurring{Summary: fmt.Sprint("one-off ", i), Start: monday.AddDate(0, 0, i+1)})
	}
	var pages []*calendar.Events
	call := svc.Events.List("primary").MaxResults(3)
	for {
		p, err := call.Do()
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
		if p.NextPageToken == "" {
			break
		}
		call.PageToken(p.NextPageToken)
	}
	if len(pages) != 3 {
		t.Fatalf("got %d pages, want 3 (7 events, 3 per page)", len(pages))
	}
	for i, p := range pages {
		last := i == len(pages)-1
		if (p.NextSyncToken != "") != last || (p.NextPageToken != "") == last {
			t.Errorf("page %d: nextPageToken=%q nextSyncToken=%q", i, p.NextPageToken, p.NextSyncToken)
		}
	}
	if n := len(pages[0].Items) + len(pages[1].Items) + len(pages[2].Items); n != 7 {
		t.Errorf("%d items, want 7", n)
	}
}

func TestDefaultAndMaximumPageSize(t *testing.T) {
	srv, svc, _ := setup(t)
	for i := range 260 {
		srv.AddRecurring(ada, Recurring{Summary: fmt.Sprint(i), Start: monday.Add(time.Duration(i) * time.Hour)})
	}
	p, err := svc.Events.List(ada).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 250 || p.NextPageToken == "" {
		t.Errorf("default page: %d items, nextPageToken %q; want 250 and a token", len(p.Items), p.NextPageToken)
	}
	p, err = svc.Events.List(ada).MaxResults(100000).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 260 || p.NextSyncToken == "" {
		t.Errorf("large page: %d items, nextSyncToken %q", len(p.Items), p.NextSyncToken)
	}
}

func TestIncrementalSyncAfterMoveCancelDelete(t *testing.T) {
	srv, svc, _ := setup(t)
	master, _ := weekly(srv)
	single, _ := srv.AddRecurring(ada, Recurring{Summary: "lunch", Start: monday.Add(3 * time.Hour)})
	srv.AddRecurring(ada, Recurring{Summary: "untouched", Start: monday.Add(5 * time.Hour)})
	_, token := fullSync(t, svc, ada, false)

	srv.MoveOccurrence(ada, master, monday.AddDate(0, 0, 7), monday.AddDate(0, 0, 8))
	srv.CancelOccurrence(ada, master, monday.AddDate(0, 0, 14))
	srv.DeleteEvent(ada, single)

	got, err := svc.Events.List(ada).SyncToken(token).Do()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{master + "_20260309T090000Z", master + "_20260316T090000Z", single}
	byID := map[string]*calendar.Event{}
	for _, it := range got.Items {
		byID[it.Id] = it
	}
	if len(got.Items) != 3 || len(byID) != 3 || byID[want[0]] == nil || byID[want[1]] == nil || byID[want[2]] == nil {
		t.Fatalf("incremental ids = %v, want %v in any order", ids(got.Items), want)
	}
	moved, cancelled, deleted := byID[want[0]], byID[want[1]], byID[want[2]]
	if moved.Start.DateTime != "2026-03-10T10:00:00+01:00" || moved.OriginalStartTime.DateTime != "2026-03-09T10:00:00+01:00" ||
		moved.RecurringEventId != master || moved.Status != "confirmed" {
		t.Errorf("moved instance = %+v start %+v original %+v", moved, moved.Start, moved.OriginalStartTime)
	}
	if cancelled.Status != "cancelled" || cancelled.RecurringEventId != master || cancelled.Summary != "" {
		t.Errorf("cancelled instance = %+v", cancelled)
	}
	if deleted.Status != "cancelled" || deleted.Summary != "" {
		t.Errorf("deleted event = %+v (incremental sync without showDeleted hides details)", deleted)
	}
	again, err := svc.Events.List(ada).SyncToken(got.NextSyncToken).Do()
	if err != nil || len(again.Items) != 0 || again.NextSyncToken == "" {
		t.Fatalf("idle incremental sync: %v items, err %v", len(again.Items), err)
	}
}

func TestIncrementalSyncReachesAttendeeCopy(t *testing.T) {
	srv, _, _ := setup(t)
	master, uid := weekly(srv)
	gsvc := service(t, srv, grace)
	items, token := fullSync(t, gsvc, "primary", true)
	if len(items) != 10 || items[0].ICalUID != uid || items[0].Etag == srv.Event(ada, items[0].Id).Etag {
		t.Fatalf("grace's copy: %d instances, uid %q (want %q), etag must differ from ada's copy", len(items), items[0].ICalUID, uid)
	}
	srv.MoveOccurrence(ada, master, monday.AddDate(0, 0, 7), monday.AddDate(0, 0, 7).Add(time.Hour))
	got, err := gsvc.Events.List("primary").SingleEvents(true).SyncToken(token).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 || got.Items[0].Start.DateTime != "2026-03-09T11:00:00+01:00" {
		t.Fatalf("grace's incremental sync = %v", ids(got.Items))
	}
	if a := got.Items[0].Attendees; len(a) != 2 || !a[1].Self || a[0].Self || !a[0].Organizer {
		t.Errorf("self/organizer flags on grace's copy: %+v %+v", a[0], a[1])
	}
}

func TestExpiredSyncTokenIs410(t *testing.T) {
	srv, svc, _ := setup(t)
	weekly(srv)
	_, token := fullSync(t, svc, ada, false)
	srv.ExpireSyncTokens()
	_, err := svc.Events.List(ada).SyncToken(token).Do()
	if e := wantErr(t, err, 410); reason(e) != "fullSyncRequired" {
		t.Errorf("reason = %q, want fullSyncRequired", reason(e))
	}
}

func TestUnknownOrMalformedParameterIs400(t *testing.T) {
	_, svc, _ := setup(t)
	_, err := svc.Events.List(ada).Do(googleapi.QueryParameter("bogus", "1"))
	wantErr(t, err, 400)
	_, err = svc.Events.List(ada).MaxResults(0).Do()
	wantErr(t, err, 400)
	_, err = svc.Events.List(ada).OrderBy("startTime").Do() // needs singleEvents
	wantErr(t, err, 400)
	_, err = svc.Events.Get(ada, "x").Do(googleapi.QueryParameter("showDeleted", "true"))
	wantErr(t, err, 400) // a parameter of events.list, not of events.get
}

func TestSyncTokenCannotBeCombined(t *testing.T) {
	srv, svc, _ := setup(t)
	weekly(srv)
	_, token := fullSync(t, svc, ada, false)
	_, err := svc.Events.List(ada).SyncToken(token).TimeMin("2026-03-01T00:00:00Z").Do()
	wantErr(t, err, 400)
	for _, p := range []string{"iCalUID", "orderBy", "privateExtendedProperty", "q",
		"sharedExtendedProperty", "timeMin", "timeMax", "updatedMin"} {
		v := "x"
		switch p {
		case "orderBy":
			v = "updated"
		case "timeMin", "timeMax", "updatedMin":
			v = "2026-03-01T00:00:00Z"
		}
		_, err := svc.Events.List(ada).SyncToken(token).Do(googleapi.QueryParameter(p, v))
		wantErr(t, err, 400)
	}
	if _, err := svc.Events.List(ada).SyncToken(token).ShowDeleted(true).Do(); err != nil {
		t.Errorf("syncToken with showDeleted: %v", err)
	}
}
