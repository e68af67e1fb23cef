package graphtest

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDeltaFullSyncPagesAndOccurrenceShape(t *testing.T) {
	f := setup(t)
	events, deltaLink, pages := f.deltaAll(t, window(), 2)
	if got := byType(events); got["seriesMaster"] != 1 || got["occurrence"] != 4 || len(events) != 5 {
		t.Fatalf("full sync: %v", got)
	}
	if pages != 3 {
		t.Errorf("5 events at 2 a page took %d pages", pages)
	}
	if !strings.Contains(deltaLink, "$deltatoken=") || strings.Contains(deltaLink, "startDateTime") {
		t.Errorf("deltaLink %q", deltaLink)
	}
	for _, e := range events {
		if e["type"] != "occurrence" {
			if e["subject"] != "Ada / Grace" || e["iCalUId"] != f.uid || e["@odata.etag"] == nil {
				t.Errorf("master lacks properties: %v", e)
			}
			continue
		}
		var keys []string
		for k := range e {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if strings.Join(keys, ",") != "@odata.type,end,id,seriesMasterId,start,type" {
			t.Errorf("occurrence carries %v", keys)
		}
		if st := e["start"].(map[string]any); st["timeZone"] != "UTC" || !strings.HasSuffix(st["dateTime"].(string), "T09:00:00.0000000") {
			t.Errorf("occurrence start %v (10:00 Berlin is 09:00 UTC)", st)
		}
	}
}

func TestDeltaIdlePollIsOneEmptyPage(t *testing.T) {
	f := setup(t)
	_, link, _ := f.deltaAll(t, window(), 0)
	before := f.srv.GraphRequests()
	events, link2, pages := f.deltaAll(t, link, 0)
	if len(events) != 0 || pages != 1 || f.srv.GraphRequests()-before != 1 || link2 == link {
		t.Errorf("idle poll: %d events, %d pages, %d requests, same link %v", len(events), pages,
			f.srv.GraphRequests()-before, link2 == link)
	}
}

func TestDeltaChangesAndRemovals(t *testing.T) {
	f := setup(t)
	_, link, _ := f.deltaAll(t, window(), 0)
	dec15 := time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC)
	dec22 := dec15.AddDate(0, 0, 7)
	f.srv.MoveOccurrence(f.uid, dec15, dec15.Add(2*time.Hour))
	f.srv.CancelOccurrence(f.uid, dec22)
	events, link, _ := f.deltaAll(t, link, 0)
	movedID := f.srv.EventID(grace, f.uid, dec15)
	cancelledID := f.srv.EventID(grace, f.uid, dec22)
	found := map[string]map[string]any{}
	for _, e := range events {
		found[e["id"].(string)] = e
	}
	if m := found[movedID]; m == nil || m["type"] != "exception" || m["subject"] != "Ada / Grace" ||
		!strings.HasPrefix(m["start"].(map[string]any)["dateTime"].(string), "2026-12-15T11:00:00") {
		t.Errorf("moved occurrence in delta: %v", m)
	}
	if c := found[cancelledID]; c == nil || c["isCancelled"] != true {
		t.Errorf("cancelled occurrence in Grace's delta: %v", c)
	}
	// Grace removes the cancelled meeting from her calendar: @removed.
	f.srv.DeleteOccurrence(grace, f.uid, dec22)
	events, _, _ = f.deltaAll(t, link, 0)
	var removed []string
	for _, e := range events {
		if r, ok := e["@removed"].(map[string]any); ok && r["reason"] == "deleted" {
			removed = append(removed, e["id"].(string))
		}
	}
	if !slices.Equal(removed, []string{cancelledID}) {
		t.Errorf("removed %v, want the cancelled occurrence %s", removed, cancelledID)
	}
}

func TestDeltaOrganizerCalendarLosesCancelledOccurrence(t *testing.T) {
	f := setup(t)
	ada0 := strings.Replace(window(), grace, ada, 1)
	_, link, _ := f.deltaAll(t, ada0, 0)
	dec22 := time.Date(2026, 12, 22, 9, 0, 0, 0, time.UTC)
	f.srv.CancelOccurrence(f.uid, dec22)
	events, _, _ := f.deltaAll(t, link, 0)
	got := byType(events)
	if got["removed"] != 1 || got["seriesMaster"] != 1 {
		t.Errorf("organizer's delta after a cancel: %v", got)
	}
}

func TestDeltaExpiredTokenIs410(t *testing.T) {
	f := setup(t)
	_, link, _ := f.deltaAll(t, window(), 0)
	for _, code := range []string{"syncStateNotFound", "resyncRequired"} {
		f.srv.ExpireDeltaTokens(code)
		status, _, body := f.do(t, "GET", link, nil, nil)
		if status != 410 || body["error"].(map[string]any)["code"] != code {
			t.Errorf("expired token: %d %v", status, body)
		}
	}
	status, _, body := f.do(t, "GET", strings.Replace(link, "$deltatoken=", "$deltatoken=x", 1), nil, nil)
	if status != 410 {
		t.Errorf("unknown token: %d %v", status, body)
	}
	if events, _, _ := f.deltaAll(t, window(), 0); len(events) != 5 {
		t.Errorf("a new full sync after 410 got %d events", len(events))
	}
}

func TestDeltaNeedsWindow(t *testing.T) {
	f := setup(t)
	status, _, body := f.do(t, "GET", "users/"+grace+"/calendarView/delta", nil, nil)
	if status != 400 || body["error"].(map[string]any)["code"] != "ErrorInvalidParameter" {
		t.Errorf("no window: %d %v", status, body)
	}
}
