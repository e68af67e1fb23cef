package caldav_test

import (
	"errors"
	"testing"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
)

// The basics against a second, independent server implementation.
func TestXandikosFeed(t *testing.T) {
	srv := caldavtest.StartXandikos(t)
	coll := srv.URL + "/user/calendars/calendar/"
	put := func(t testing.TB, href string, ics []byte) string { return srv.Put(t, "", href, ics) }
	hrefs := seed(t, put, coll, 0, 12)
	c := newClient(t, coll, caldav.Options{BatchSize: 5})

	ch, cur := changes(t, c, coll, caldav.Cursor{})
	wantHrefs(t, "first sync", updatedHrefs(ch), hrefs)
	checkObjects(t, ch)
	if !ch.Resynced || cur.SyncToken == "" {
		t.Errorf("first sync: resynced %v, token %q", ch.Resynced, cur.SyncToken)
	}

	srv.ResetRequests()
	idle, cur := changes(t, c, coll, cur)
	if got := srv.Requests(); idle.Requests != 1 || len(got) != 1 || len(idle.Updated)+len(idle.Deleted) != 0 {
		t.Errorf("idle sync: %+v, server saw %v; want one request, no changes", idle, got)
	}

	put(t, hrefs[0], event("uid-0@test", "changed"))
	srv.Delete(t, "", hrefs[1])
	ch, cur = changes(t, c, coll, cur)
	wantHrefs(t, "updated", updatedHrefs(ch), hrefs[:1])
	wantHrefs(t, "deleted", ch.Deleted, hrefs[1:2])

	// Xandikos answers an unknown token with 500.
	srv.Delete(t, "", hrefs[2])
	cur.SyncToken = "0123456789abcdef0123456789abcdef01234567"
	ch, cur = changes(t, c, coll, cur)
	if !ch.Resynced || len(ch.Updated) != 0 {
		t.Errorf("garbage token: %+v, want a resync without updates", ch)
	}
	wantHrefs(t, "deleted after resync", ch.Deleted, hrefs[2:3])
	if len(cur.ETags) != 10 {
		t.Errorf("%d etags known after resync, want 10", len(cur.ETags))
	}
}

func TestXandikosWritesAndDiscovery(t *testing.T) {
	srv := caldavtest.StartXandikos(t)
	c := newClient(t, srv.URL, caldav.Options{})
	cals, err := c.Discover(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	coll := srv.URL + "/user/calendars/calendar/"
	if len(cals) != 1 || cals[0].URL != coll || !cals[0].SupportsSync {
		t.Fatalf("Discover from the root = %+v, want %s", cals, coll)
	}

	href := pathOf(coll) + "agenda.ics"
	etag, err := c.Put(ctx(t), href, event("agenda@test", "v1"), "")
	if err != nil || etag == "" {
		t.Fatalf("create: %q, %v", etag, err)
	}
	if _, err := c.Put(ctx(t), href, event("agenda@test", "v1"), ""); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("create-only over an existing object: %v", err)
	}
	if _, err := c.Put(ctx(t), href, event("agenda@test", "v2"), etag); err != nil {
		t.Errorf("update with the current etag: %v", err)
	}
	if _, err := c.Put(ctx(t), href, event("agenda@test", "v3"), etag); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("update with a stale etag: %v", err)
	}
}
