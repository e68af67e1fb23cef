package caldav_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
)

type radicale struct {
	srv  *caldavtest.Server
	coll string
	c    *caldav.Client
}

func startRadicale(t *testing.T, opt caldav.Options) *radicale {
	srv := caldavtest.StartRadicale(t)
	coll := srv.MakeCalendar(t, "test", "work")
	opt.Username, opt.Password = "test", "testpass"
	return &radicale{srv: srv, coll: coll, c: newClient(t, coll, opt)}
}

func (r *radicale) put(t testing.TB, href string, ics []byte) string {
	return r.srv.Put(t, "test", href, ics)
}

func TestRadicaleInitialThenIdle(t *testing.T) {
	r := startRadicale(t, caldav.Options{BatchSize: 10})
	hrefs := seed(t, r.put, r.coll, 0, 25)

	ch, cur := changes(t, r.c, r.coll, caldav.Cursor{})
	wantHrefs(t, "updated", updatedHrefs(ch), hrefs)
	checkObjects(t, ch)
	if len(ch.Deleted) != 0 || !ch.Resynced {
		t.Errorf("first sync: deleted %q, resynced %v; want none, true", ch.Deleted, ch.Resynced)
	}
	if ch.Requests != 4 { // one sync-collection, three multigets of at most 10
		t.Errorf("first sync made %d requests, want 4", ch.Requests)
	}
	if cur.SyncToken == "" || len(cur.ETags) != 25 {
		t.Fatalf("cursor after first sync: token %q, %d etags", cur.SyncToken, len(cur.ETags))
	}

	r.srv.ResetRequests()
	idle, cur2 := changes(t, r.c, r.coll, cur)
	if len(idle.Updated)+len(idle.Deleted) != 0 || idle.Resynced {
		t.Errorf("idle sync reported changes: %+v", idle)
	}
	if got := r.srv.Requests(); idle.Requests != 1 || len(got) != 1 || got[0].Method != "REPORT" {
		t.Errorf("idle sync: Requests=%d, server saw %v; want exactly one REPORT", idle.Requests, got)
	}
	if idle.Bytes <= 0 || cur2.SyncToken == "" || len(cur2.ETags) != 25 {
		t.Errorf("idle sync: bytes %d, cursor %q with %d etags", idle.Bytes, cur2.SyncToken, len(cur2.ETags))
	}
}

func TestRadicaleChangedAndDeleted(t *testing.T) {
	r := startRadicale(t, caldav.Options{})
	hrefs := seed(t, r.put, r.coll, 0, 5)
	_, cur := changes(t, r.c, r.coll, caldav.Cursor{})

	r.put(t, hrefs[1], event("uid-1@test", "moved to Tuesday"))
	r.srv.Delete(t, "test", hrefs[3])
	ch, next := changes(t, r.c, r.coll, cur)

	wantHrefs(t, "updated", updatedHrefs(ch), hrefs[1:2])
	wantHrefs(t, "deleted", ch.Deleted, hrefs[3:4])
	if ch.Resynced {
		t.Error("an incremental sync reported Resynced")
	}
	if len(ch.Updated) == 1 && !strings.Contains(string(ch.Updated[0].Data), "moved to Tuesday") {
		t.Errorf("updated data is not the new version:\n%s", ch.Updated[0].Data)
	}
	if _, ok := next.ETags[hrefs[3]]; ok || len(next.ETags) != 4 || next.ETags[hrefs[1]] == cur.ETags[hrefs[1]] {
		t.Errorf("cursor etags not updated: %v", next.ETags)
	}
}

func TestRadicaleGarbageSyncTokenResyncs(t *testing.T) {
	r := startRadicale(t, caldav.Options{})
	hrefs := seed(t, r.put, r.coll, 0, 4)
	_, cur := changes(t, r.c, r.coll, caldav.Cursor{})

	r.put(t, hrefs[0], event("uid-0@test", "changed"))
	r.srv.Delete(t, "test", hrefs[2])
	added := seed(t, r.put, r.coll, 10, 1)
	cur.SyncToken = "http://radicale.org/ns/sync/0000garbage"
	ch, next := changes(t, r.c, r.coll, cur)

	if !ch.Resynced {
		t.Error("Resynced = false after a garbage token")
	}
	wantHrefs(t, "updated", updatedHrefs(ch), []string{hrefs[0], added[0]})
	wantHrefs(t, "deleted", ch.Deleted, hrefs[2:3])
	checkObjects(t, ch)

	idle, _ := changes(t, r.c, r.coll, next)
	if idle.Requests != 1 || len(idle.Updated)+len(idle.Deleted) != 0 {
		t.Errorf("sync after resync: %+v, want one request and no changes", idle)
	}
}

func TestRadicaleRestartBetweenSyncs(t *testing.T) {
	r := startRadicale(t, caldav.Options{})
	seed(t, r.put, r.coll, 0, 3)
	_, cur := changes(t, r.c, r.coll, caldav.Cursor{})

	r.srv.Restart(t)
	added := seed(t, r.put, r.coll, 3, 1)
	ch, next := changes(t, r.c, r.coll, cur)
	wantHrefs(t, "updated", updatedHrefs(ch), added)
	if len(ch.Deleted) != 0 || len(next.ETags) != 4 {
		t.Errorf("after restart: deleted %q, %d etags known", ch.Deleted, len(next.ETags))
	}
}

func TestRadicaleServerDownIsHTTPError(t *testing.T) {
	r := startRadicale(t, caldav.Options{})
	_, cur := changes(t, r.c, r.coll, caldav.Cursor{})
	r.srv.Stop()
	_, after, err := r.c.Changes(ctx(t), r.coll, cur)
	var he *caldav.HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusBadGateway || he.Method != "REPORT" || he.URL != r.coll {
		t.Fatalf("Changes with the server down: %v, want an *HTTPError 502 REPORT %s", err, r.coll)
	}
	if after.SyncToken != cur.SyncToken {
		t.Error("a failed sync moved the cursor")
	}
}

func TestRadicaleWrongPassword(t *testing.T) {
	r := startRadicale(t, caldav.Options{})
	c := newClient(t, r.coll, caldav.Options{Username: "test", Password: "s3cret-wrong"})
	_, _, err := c.Changes(ctx(t), r.coll, caldav.Cursor{})
	if !errors.Is(err, caldav.ErrUnauthorized) {
		t.Fatalf("Changes with a wrong password: %v, want ErrUnauthorized", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "password") || !strings.Contains(msg, r.coll) || !strings.Contains(msg, `"test"`) {
		t.Errorf("message does not tell the admin what to check: %s", msg)
	}
	if strings.Contains(msg, "s3cret-wrong") {
		t.Errorf("message contains the password: %s", msg)
	}
	if _, err := c.Discover(ctx(t)); !errors.Is(err, caldav.ErrUnauthorized) {
		t.Errorf("Discover with a wrong password: %v, want ErrUnauthorized", err)
	}
}

func TestRadicaleConditionalWrites(t *testing.T) {
	r := startRadicale(t, caldav.Options{})
	href := pathOf(r.coll) + "agenda.ics"
	ctx := ctx(t)
	etag1, err := r.c.Put(ctx, href, event("agenda@test", "v1"), "")
	if err != nil || etag1 == "" {
		t.Fatalf("create: %q, %v", etag1, err)
	}
	if _, err := r.c.Put(ctx, href, event("agenda@test", "again"), ""); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("create-only over an existing object: %v, want ErrPreconditionFailed", err)
	}
	etag2, err := r.c.Put(ctx, href, event("agenda@test", "v2"), etag1)
	if err != nil || etag2 == etag1 {
		t.Fatalf("update with the current etag: %q, %v", etag2, err)
	}
	if _, err := r.c.Put(ctx, href, event("agenda@test", "lost"), etag1); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("update with a stale etag: %v, want ErrPreconditionFailed", err)
	}
	got, err := r.c.Get(ctx, href)
	if err != nil || got.ETag != etag2 || !strings.Contains(string(got.Data), "SUMMARY:v2") || got.Href != href {
		t.Fatalf("Get: %+v, %v; want v2 with etag %s", got, err, etag2)
	}
	if err := r.c.Delete(ctx, href, etag1); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("delete with a stale etag: %v, want ErrPreconditionFailed", err)
	}
	if err := r.c.Delete(ctx, href, etag2); err != nil {
		t.Errorf("delete with the current etag: %v", err)
	}
	if _, err := r.c.Get(ctx, href); !errors.Is(err, caldav.ErrNotFound) {
		t.Errorf("Get after delete: %v, want ErrNotFound", err)
	}
}

func TestRadicaleObjectDeletedBeforeMultiget(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	coll := srv.MakeCalendar(t, "test", "work")
	put := func(t testing.TB, href string, ics []byte) string { return srv.Put(t, "test", href, ics) }
	hrefs := seed(t, put, coll, 0, 6)
	var vanish string // deleted right before the next multiget goes out
	c := newClient(t, coll, caldav.Options{Username: "test", Password: "testpass", BatchSize: 4,
		HTTPClient: &http.Client{Transport: hook{before: func(req *http.Request, body []byte) {
			if strings.Contains(string(body), "calendar-multiget") && vanish != "" {
				srv.Delete(t, "test", vanish)
				vanish = ""
			}
		}}}})

	// First sync: the vanished object was never seen, so it is just absent.
	vanish = hrefs[5]
	ch, cur := changes(t, c, coll, caldav.Cursor{})
	wantHrefs(t, "first sync", updatedHrefs(ch), hrefs[:5])
	if _, ok := cur.ETags[hrefs[5]]; ok || len(ch.Deleted) != 0 {
		t.Errorf("first sync: deleted %q, etags %v", ch.Deleted, cur.ETags)
	}

	// Later: four known objects change, one of them is gone by the time of the fetch.
	for _, h := range hrefs[:4] {
		put(t, h, event("uid-"+strings.TrimSuffix(h[len(h)-5:], ".ics")+"@test", "changed"))
	}
	vanish = hrefs[2]
	ch, cur = changes(t, c, coll, cur)
	wantHrefs(t, "updated", updatedHrefs(ch), []string{hrefs[0], hrefs[1], hrefs[3]})
	wantHrefs(t, "deleted", ch.Deleted, hrefs[2:3])
	if _, ok := cur.ETags[hrefs[2]]; ok || len(cur.ETags) != 4 {
		t.Errorf("cursor etags: %v", cur.ETags)
	}
}

// Servers without sync-collection: the same Radicale with that report refused.
func TestRadicaleCTagMode(t *testing.T) {
	r := startRadicale(t, caldav.Options{HTTPClient: &http.Client{Transport: noSyncCollection{}}})
	hrefs := seed(t, r.put, r.coll, 0, 5)
	ch, cur := changes(t, r.c, r.coll, caldav.Cursor{})
	wantHrefs(t, "updated", updatedHrefs(ch), hrefs)
	if cur.SyncToken != "" || cur.CTag == "" {
		t.Fatalf("cursor in ctag mode: %+v", cur)
	}

	r.srv.ResetRequests()
	idle, cur := changes(t, r.c, r.coll, cur)
	if got := r.srv.Requests(); idle.Requests != 1 || len(got) != 1 || got[0].Method != "PROPFIND" || len(idle.Updated) != 0 {
		t.Errorf("idle ctag poll: %+v, server saw %v; want one PROPFIND and no changes", idle, got)
	}

	r.put(t, hrefs[0], event("uid-0@test", "changed"))
	r.srv.Delete(t, "test", hrefs[4])
	ch, _ = changes(t, r.c, r.coll, cur)
	wantHrefs(t, "updated", updatedHrefs(ch), hrefs[:1])
	wantHrefs(t, "deleted", ch.Deleted, hrefs[4:])
}

// noSyncCollection answers 501 to sync-collection, as a server without RFC 6578 does.
type noSyncCollection struct{}

func (noSyncCollection) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	if req.Method == "REPORT" && bytes.Contains(body, []byte("sync-collection")) {
		return &http.Response{StatusCode: http.StatusNotImplemented, Header: http.Header{},
			Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
	}
	return http.DefaultTransport.RoundTrip(req)
}
