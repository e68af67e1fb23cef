package caldavfs_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavfs"
)

func TestDiscover(t *testing.T) {
	e := newEnv(t)
	for _, start := range []string{e.ts.URL, e.ts.URL + "/", e.ts.URL + "/" + user + "/", e.coll} {
		cals, err := e.client(t, start, password).Discover(ctx(t))
		if err != nil {
			t.Fatalf("Discover from %s: %v", start, err)
		}
		if len(cals) != 1 || cals[0].URL != e.coll || cals[0].Name != "work" || cals[0].CTag == "" || cals[0].SupportsSync {
			t.Errorf("Discover from %s = %+v, want only %s with a ctag and no sync", start, cals, e.coll)
		}
	}
	if got := e.takeLog(); !strings.HasPrefix(got[0], "PROPFIND /.well-known/caldav Permanent Redirect") {
		t.Errorf("Discover from the root went %q, want through /.well-known/caldav", got)
	}
	code, _, _ := e.do(t, "MKCALENDAR", "/"+user+"/home/", nil, "")
	if code != http.StatusCreated {
		t.Fatalf("MKCALENDAR = %d", code)
	}
	if code, _, _ := e.do(t, "MKCALENDAR", "/"+user+"/home/", nil, ""); code != http.StatusMethodNotAllowed {
		t.Errorf("MKCALENDAR on an existing calendar = %d, want 405", code)
	}
	cals, err := e.cli.Discover(ctx(t))
	if err != nil || len(cals) != 2 {
		t.Fatalf("Discover after MKCALENDAR = %+v, %v; want 2 calendars", cals, err)
	}
}

func TestSync(t *testing.T) {
	e := newEnv(t)
	a, b := event("a@test", "weekly 1:1"), event("b@test", "other")
	for name, data := range map[string][]byte{"a": a, "b": b} {
		if _, err := e.srv.Put("work", name, data); err != nil {
			t.Fatal(err)
		}
	}
	ch, cur := changes(t, e, caldav.Cursor{})
	want(t, "first sync", hrefs(ch), []string{e.path + "a.ics", e.path + "b.ics"})
	if !ch.Resynced || cur.CTag == "" {
		t.Errorf("first sync: resynced %v, cursor %+v; want a resync and a ctag", ch.Resynced, cur)
	}
	for _, o := range ch.Updated {
		sameBytes(t, "multiget "+o.Href, o.Data, map[string][]byte{e.path + "a.ics": a, e.path + "b.ics": b}[o.Href])
	}
	t.Logf("first sync: %d requests", ch.Requests)
	e.takeLog()

	ch, cur = changes(t, e, cur)
	if len(ch.Updated)+len(ch.Deleted) != 0 || ch.Requests != 1 {
		t.Errorf("idle sync: %d updated, %d deleted in %d requests; want nothing in 1", len(ch.Updated), len(ch.Deleted), ch.Requests)
	}
	t.Logf("idle sync: %d request(s): %q", ch.Requests, e.takeLog())

	// Our client changes a, as the agenda writer does.
	obj, err := e.cli.Get(ctx(t), e.path+"a.ics")
	if err != nil {
		t.Fatal(err)
	}
	sameBytes(t, "GET", obj.Data, a)
	a2 := []byte(strings.Replace(string(a), "SUMMARY:weekly 1:1", "SUMMARY:weekly 1:1 (agenda)", 1))
	etag, err := e.cli.Put(ctx(t), obj.Href, a2, obj.ETag)
	if err != nil || etag == obj.ETag || !strings.HasPrefix(etag, `"`) {
		t.Fatalf("Put = %q, %v; want a new quoted etag (old %q)", etag, err, obj.ETag)
	}
	data, srvETag, err := e.srv.Get("work", "a")
	if err != nil || srvETag != etag {
		t.Fatalf("Server.Get = etag %q, %v; want %q", srvETag, err, etag)
	}
	sameBytes(t, "Server.Get", data, a2)

	ch, cur = changes(t, e, cur)
	want(t, "after a change", hrefs(ch), []string{e.path + "a.ics"})
	if len(ch.Deleted) != 0 || ch.Updated[0].ETag != etag {
		t.Errorf("after a change: deleted %q, etag %q (want none, %q)", ch.Deleted, ch.Updated[0].ETag, etag)
	}
	sameBytes(t, "changed object", ch.Updated[0].Data, a2)
	t.Logf("sync after one change: %d requests", ch.Requests)

	if err := e.cli.Delete(ctx(t), e.path+"b.ics", cur.ETags[e.path+"b.ics"]); err != nil {
		t.Fatal(err)
	}
	ch, cur = changes(t, e, cur)
	want(t, "deleted", ch.Deleted, []string{e.path + "b.ics"})
	want(t, "updated with the delete", hrefs(ch), nil)
	if _, _, err := e.srv.Get("work", "b"); !errors.Is(err, caldavfs.ErrNotFound) {
		t.Errorf("Server.Get of a deleted object: %v, want ErrNotFound", err)
	}
	if ch, _ = changes(t, e, cur); len(ch.Updated)+len(ch.Deleted) != 0 || ch.Requests != 1 {
		t.Errorf("idle sync after the delete: %+v", ch)
	}
}

func TestConditionalWrites(t *testing.T) {
	e := newEnv(t)
	href := e.path + "a.ics"
	first, err := e.cli.Put(ctx(t), href, event("a@test", "one"), "")
	if err != nil {
		t.Fatalf("create-only Put of a new object: %v", err)
	}
	if _, err := e.cli.Put(ctx(t), href, event("a@test", "again"), ""); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("create-only Put on an existing object: %v, want ErrPreconditionFailed", err)
	}
	second, err := e.cli.Put(ctx(t), href, event("a@test", "two"), first)
	if err != nil {
		t.Fatalf("Put with the current etag: %v", err)
	}
	if _, err := e.cli.Put(ctx(t), href, event("a@test", "three"), first); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("Put with a stale etag: %v, want ErrPreconditionFailed", err)
	}
	if _, err := e.cli.Put(ctx(t), e.path+"new.ics", event("new@test", "x"), first); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("If-Match on a missing object: %v, want ErrPreconditionFailed", err)
	}
	if err := e.cli.Delete(ctx(t), href, first); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("Delete with a stale etag: %v, want ErrPreconditionFailed", err)
	}
	if _, err := e.cli.Put(ctx(t), e.path+"dup.ics", event("a@test", "same uid"), ""); status(err) != http.StatusConflict {
		t.Errorf("a second object with the same UID: %v, want 409", err)
	}
	if _, err := e.cli.Put(ctx(t), e.ts.URL+"/"+user+"/nocal/x.ics", event("x@test", "x"), ""); status(err) != http.StatusConflict {
		t.Errorf("Put into a missing calendar: %v, want 409", err)
	}
	data, etag, err := e.srv.Get("work", "a.ics")
	if err != nil || etag != second || !strings.Contains(string(data), "SUMMARY:two") {
		t.Errorf("after the refused writes: %q %q %v; want the second version", data, etag, err)
	}
	if err := e.cli.Delete(ctx(t), href, second); err != nil {
		t.Errorf("Delete with the current etag: %v", err)
	}
}

func TestMultigetWithMissingObject(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"a", "b", "c"} {
		if _, err := e.srv.Put("work", n, event(n+"@test", n)); err != nil {
			t.Fatal(err)
		}
	}
	body := `<?xml version="1.0"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` +
		`<D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>` + e.path + `a.ics</D:href>` +
		`<D:href>` + e.path + `gone.ics</D:href><D:href>` + e.coll + `c.ics</D:href></C:calendar-multiget>`
	code, _, resp := e.do(t, "REPORT", e.path, map[string]string{"Content-Type": "application/xml"}, body)
	if code != http.StatusMultiStatus || strings.Count(string(resp), "BEGIN:VCALENDAR") != 2 ||
		!strings.Contains(string(resp), "404 Not Found") {
		t.Errorf("multiget with a missing href = %d\n%s", code, resp)
	}

	// Through our client: b disappears between the listing and the multiget.
	e.setBefore(func(r *http.Request) {
		if r.Method == "REPORT" && r.Header.Get("Depth") == "" {
			deleteObject(t, e, "b")
		}
	})
	ch, _ := changes(t, e, caldav.Cursor{})
	want(t, "objects read", hrefs(ch), []string{e.path + "a.ics", e.path + "c.ics"})
}

func deleteObject(t *testing.T, e *env, name string) {
	_, etag, err := e.srv.Get("work", name)
	if err != nil {
		return
	}
	req, _ := http.NewRequest(http.MethodDelete, e.coll+name+".ics", nil)
	req.SetBasicAuth(user, password)
	req.Header.Set("If-Match", etag)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE %s: %v %v", name, resp, err)
	}
	if resp != nil {
		resp.Body.Close()
	}
}

func TestWrongPassword(t *testing.T) {
	e := newEnv(t)
	bad := e.client(t, e.ts.URL, "wrong")
	if _, err := bad.Discover(ctx(t)); !errors.Is(err, caldav.ErrUnauthorized) {
		t.Errorf("Discover with a wrong password: %v, want ErrUnauthorized", err)
	}
	if _, _, err := bad.Changes(ctx(t), e.coll, caldav.Cursor{}); !errors.Is(err, caldav.ErrUnauthorized) {
		t.Errorf("Changes with a wrong password: %v, want ErrUnauthorized", err)
	}
	if _, err := bad.Put(ctx(t), e.path+"x.ics", event("x@test", "x"), ""); !errors.Is(err, caldav.ErrUnauthorized) {
		t.Errorf("Put with a wrong password: %v, want ErrUnauthorized", err)
	}
}

func TestConcurrentWritesAndSyncs(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			href := fmt.Sprintf("%se%d.ics", e.path, i)
			etag, err := e.cli.Put(ctx(t), href, event(fmt.Sprintf("e%d@test", i), "v1"), "")
			if err == nil {
				_, err = e.cli.Put(ctx(t), href, event(fmt.Sprintf("e%d@test", i), "v2"), etag)
			}
			if err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if _, _, err := e.cli.Changes(ctx(t), e.coll, caldav.Cursor{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	ch, _ := changes(t, e, caldav.Cursor{})
	if len(ch.Updated) != 20 {
		t.Fatalf("%d objects after concurrent writes, want 20", len(ch.Updated))
	}
	for _, o := range ch.Updated {
		if !strings.Contains(string(o.Data), "SUMMARY:v2") {
			t.Errorf("%s: not the last version", o.Href)
		}
	}
}
