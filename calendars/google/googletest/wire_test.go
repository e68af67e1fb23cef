package googletest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"
)

// rawList fetches events.list as raw JSON, as no client library would see.
func rawList(t *testing.T, srv *Server, query string) []map[string]any {
	t.Helper()
	resp, err := srv.HTTPClient(ada).Get(srv.URL + "/calendar/v3/calendars/ada%40example.com/events?" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var out struct{ Items []map[string]any }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Items
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestSparseCancelledInstanceHasOnlyDocumentedFields(t *testing.T) {
	srv, _, _ := setup(t)
	master, _ := weekly(srv)
	srv.CancelOccurrence(ada, master, monday.AddDate(0, 0, 7))
	var cancelled []map[string]any
	for _, it := range rawList(t, srv, "") { // no showDeleted, no singleEvents
		if it["status"] == "cancelled" {
			cancelled = append(cancelled, it)
		}
	}
	if len(cancelled) != 1 {
		t.Fatalf("%d cancelled items in the list, want the one cancelled instance", len(cancelled))
	}
	want := []string{"etag", "id", "kind", "originalStartTime", "recurringEventId", "status"}
	if got := keys(cancelled[0]); !slices.Equal(got, want) {
		t.Errorf("cancelled instance fields = %v, want %v", got, want)
	}
	ost := cancelled[0]["originalStartTime"].(map[string]any)
	if ost["dateTime"] != "2026-03-09T10:00:00+01:00" || ost["timeZone"] != "Europe/Berlin" {
		t.Errorf("originalStartTime = %v", ost)
	}
	// With singleEvents the cancelled instance only shows with showDeleted.
	for _, q := range []string{"singleEvents=true", "singleEvents=true&showDeleted=true"} {
		n := 0
		for _, it := range rawList(t, srv, q) {
			if it["status"] == "cancelled" {
				n++
				if len(it) != 6 {
					t.Errorf("%s: cancelled instance with fields %v", q, keys(it))
				}
			}
		}
		if want := len(q) > len("singleEvents=true"); (n == 1) != want {
			t.Errorf("%s: %d cancelled instances", q, n)
		}
	}
}

func TestFullEventFields(t *testing.T) {
	srv, _, _ := setup(t)
	weekly(srv)
	items := rawList(t, srv, "")
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	ev := items[0]
	for _, k := range []string{"kind", "etag", "id", "status", "htmlLink", "created", "updated", "summary",
		"creator", "organizer", "start", "end", "recurrence", "iCalUID", "sequence", "attendees", "reminders", "eventType"} {
		if _, ok := ev[k]; !ok && k != "sequence" {
			t.Errorf("missing %s in %v", k, keys(ev))
		}
	}
	rec := ev["recurrence"].([]any)
	if len(rec) != 1 || rec[0] != "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10" {
		t.Errorf("recurrence %v", rec)
	}
	if org := ev["organizer"].(map[string]any); org["email"] != ada || org["self"] != true {
		t.Errorf("organizer %v", org)
	}
}

func TestInjected429WithRetryAfter(t *testing.T) {
	srv, svc, _ := setup(t)
	srv.FailNext("events.list", 429, "", "7")
	srv.FailNext("events.list", 403, "userRateLimitExceeded", "")
	_, err := svc.Events.List(ada).Do()
	e := wantErr(t, err, 429)
	if e.Header.Get("Retry-After") != "7" || reason(e) != "rateLimitExceeded" {
		t.Errorf("Retry-After %q reason %q", e.Header.Get("Retry-After"), reason(e))
	}
	_, err = svc.Events.List(ada).Do()
	if e := wantErr(t, err, 403); reason(e) != "userRateLimitExceeded" {
		t.Errorf("403: %+v", e.Errors)
	}
	if _, err := svc.Events.List(ada).Do(); err != nil {
		t.Errorf("third call: %v", err)
	}
	srv.FailNext("*", 503, "", "")
	_, err = svc.Events.Get(ada, "x").Do()
	wantErr(t, err, 503)
	log := srv.RequestLog()
	if srv.RequestCount() != 4 || log[0].Status != 429 || log[2].Status != 200 || log[0].Method != "events.list" {
		t.Errorf("request log: %d entries, %+v", srv.RequestCount(), log[0])
	}
}

func TestWatchAndNotify(t *testing.T) {
	srv, svc, _ := setup(t)
	got := make(chan http.Header, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
	}))
	defer hook.Close()
	ch, err := svc.Events.Watch(ada, &calendar.Channel{Id: "chan-1", Type: "web_hook",
		Address: hook.URL + "/notify", Token: "secret-token"}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if ch.ResourceId == "" || ch.Expiration == 0 {
		t.Errorf("channel %+v", ch)
	}
	sync := <-got
	if sync.Get("X-Goog-Resource-State") != "sync" || sync.Get("X-Goog-Message-Number") != "1" {
		t.Errorf("first message %v", sync)
	}
	if err := srv.Notify(ada); err != nil {
		t.Fatal(err)
	}
	h := <-got
	want := map[string]string{"X-Goog-Channel-Id": "chan-1", "X-Goog-Channel-Token": "secret-token",
		"X-Goog-Resource-State": "exists", "X-Goog-Resource-Id": ch.ResourceId, "X-Goog-Message-Number": "2"}
	for k, v := range want {
		if h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
	if err := svc.Channels.Stop(&calendar.Channel{Id: "chan-1", ResourceId: ch.ResourceId}).Do(); err != nil {
		t.Fatal(err)
	}
	wantErr(t, svc.Channels.Stop(&calendar.Channel{Id: "chan-1", ResourceId: ch.ResourceId}).Do(), 404)
	if err := srv.Notify(ada); err != nil || len(srv.Channels()) != 0 {
		t.Fatal(err)
	}
	select {
	case h := <-got:
		t.Errorf("notification after channels.stop: %v", h)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestCalendarListAndPrimary(t *testing.T) {
	srv, svc, _ := setup(t)
	srv.Share(grace, ada)
	list, err := svc.CalendarList.List().Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 2 || list.Items[0].Id != ada || !list.Items[0].Primary || list.Items[0].AccessRole != "owner" ||
		list.Items[1].Id != grace || list.Items[1].Primary || list.Items[1].AccessRole != "writer" {
		t.Errorf("calendar list %+v", list.Items)
	}
	if _, err := svc.Events.List(grace).Do(); err != nil {
		t.Errorf("shared calendar: %v", err)
	}
	_, err = svc.Events.Move(ada, "x", grace).Do()
	wantErr(t, err, 501) // documented, not implemented by the fake
}

// TestConcurrentUse drives the API and the scenario methods from several
// goroutines at once; run with -race.
func TestConcurrentUse(t *testing.T) {
	srv, svc, _ := setup(t)
	master, _ := weekly(srv)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 5 {
				if _, err := svc.Events.List(ada).SingleEvents(true).Do(); err != nil {
					t.Error(err)
				}
				orig := monday.AddDate(0, 0, 7*((i+j)%10))
				srv.SetDescription(ada, instanceID(master, orig, false), "x")
				srv.FailNext("events.get", 500, "", "")
				svc.Events.Get(ada, master).Do()
				svc.Events.Patch(ada, master, &calendar.Event{Summary: "s"}).Do()
				_ = srv.RequestLog()
				_ = srv.Event(grace, master)
			}
		})
	}
	wg.Wait()
	if n := srv.RequestCount(); n != 60 {
		t.Errorf("%d requests logged, want 60", n)
	}
}
