package caldav_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
)

func calendarURLs(cals []caldav.Calendar) []string {
	var urls []string
	for _, c := range cals {
		urls = append(urls, c.URL)
	}
	slices.Sort(urls)
	return urls
}

func TestRadicaleDiscover(t *testing.T) {
	srv := caldavtest.StartRadicale(t, caldavtest.User{Name: "grace", Password: "gpw"})
	work := srv.MakeCalendar(t, "test", "Work 1on1")
	home := srv.MakeCalendar(t, "test", "home")
	srv.MakeTaskList(t, "test", "tasks")
	theirs := srv.MakeCalendar(t, "grace", "private")
	test := caldav.Options{Username: "test", Password: "testpass"}

	for _, from := range []string{srv.URL, srv.URL + "/", srv.PrincipalURL("test")} {
		cals, err := newClient(t, from, test).Discover(ctx(t))
		if err != nil {
			t.Fatalf("Discover from %s: %v", from, err)
		}
		wantHrefs(t, "calendars from "+from, calendarURLs(cals), []string{work, home})
		for _, c := range cals {
			if !c.SupportsSync || c.CTag == "" || (c.URL == work && c.Name != "Work 1on1") {
				t.Errorf("from %s: %+v", from, c)
			}
		}
	}

	cals, err := newClient(t, work, test).Discover(ctx(t))
	if err != nil || len(cals) != 1 || cals[0].URL != work {
		t.Errorf("Discover from the calendar URL: %+v, %v; want just %s", cals, err, work)
	}
	cals, err = newClient(t, srv.URL, caldav.Options{Username: "grace", Password: "gpw"}).Discover(ctx(t))
	if err != nil || len(cals) != 1 || cals[0].URL != theirs {
		t.Errorf("Discover as another user: %+v, %v; want just %s", cals, err, theirs)
	}
}

// The calendar home is on another host than the principal (as with hosted
// services that shard users): the full URL must be kept.
func TestDiscoverHomeOnAnotherHost(t *testing.T) {
	data := newFakeDAV()
	data.put("/cal/work/a.ics", event("uid-a@test", "a"))
	shard := httptest.NewServer(data)
	defer shard.Close()

	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/.well-known/caldav":
			http.Redirect(w, r, "/principals/ada/", http.StatusMovedPermanently)
		case r.Method == "PROPFIND" && r.URL.Path == "/principals/ada/":
			multistatus(w, `<D:response><D:href>/principals/ada/</D:href><D:propstat><D:prop>
<D:current-user-principal><D:href>/principals/ada/</D:href></D:current-user-principal>
<C:calendar-home-set><D:href>`+shard.URL+`/cal/</D:href></C:calendar-home-set>
</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer front.Close()

	c := newClient(t, front.URL, caldav.Options{Username: "ada", Password: "pw"})
	cals, err := c.Discover(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(cals) != 1 || cals[0].URL != shard.URL+"/cal/work/" || cals[0].Name != "Work" || !cals[0].SupportsSync {
		t.Fatalf("Discover = %+v, want the Work calendar at %s/cal/work/", cals, shard.URL)
	}
	ch, _ := changes(t, c, cals[0].URL, caldav.Cursor{})
	if len(ch.Updated) != 1 || ch.Updated[0].Href != shard.URL+"/cal/work/a.ics" {
		t.Errorf("changes on the other host: %+v", ch.Updated)
	}
	if !strings.Contains(string(ch.Updated[0].Data), "UID:uid-a@test") {
		t.Errorf("data: %s", ch.Updated[0].Data)
	}
	obj, err := c.Get(ctx(t), ch.Updated[0].Href)
	if err != nil || obj.ETag != ch.Updated[0].ETag {
		t.Errorf("Get on the other host: %+v, %v", obj, err)
	}
}

func multistatus(w http.ResponseWriter, inner string) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/">%s</D:multistatus>`, inner)
}
