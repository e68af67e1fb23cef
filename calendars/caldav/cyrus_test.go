package caldav_test

import (
	"errors"
	"testing"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
)

// Cyrus (what Fastmail runs): discovery from the server root through
// /.well-known/caldav, sync-collection, conditional writes, and a PUT
// answered without an ETag.
func TestCyrusDiscoverSyncAndWrite(t *testing.T) {
	srv := caldavtest.StartCyrus(t)
	coll := srv.CalendarURL(caldavtest.DefaultUser, "Default")
	c := newClient(t, srv.URL+"/", caldav.Options{Username: caldavtest.DefaultUser, Password: caldavtest.DefaultPassword})
	cals, err := c.Discover(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var found *caldav.Calendar
	for i := range cals {
		if cals[i].URL == coll {
			found = &cals[i]
		}
	}
	if found == nil || !found.SupportsSync || found.NoSync || found.SyncToken == "" {
		t.Fatalf("Discover from the root = %+v, want %s with sync-collection and a token", cals, coll)
	}

	put := func(t testing.TB, href string, ics []byte) string {
		return srv.Put(t, caldavtest.DefaultUser, href, ics)
	}
	hrefs := seed(t, put, coll, 0, 3)
	ch, cur := changes(t, c, coll, caldav.Cursor{})
	wantHrefs(t, "first sync", updatedHrefs(ch), hrefs)
	if cur.SyncToken == "" || cur.NoSync {
		t.Errorf("cursor %+v: want sync-collection", cur)
	}
	idle, _ := changes(t, c, coll, cur)
	if idle.Requests != 1 || len(idle.Updated)+len(idle.Deleted) != 0 {
		t.Errorf("idle sync: %+v", idle)
	}

	// Cyrus leaves the ETag out of a PUT answer when it changed what it
	// stored (scheduling does); Put then reads the new one.
	old := cur.ETags[hrefs[0]]
	etag, err := c.Put(ctx(t), hrefs[0], event("uid-0@test", "changed"), old)
	if err != nil || etag == "" || etag == old {
		t.Fatalf("conditional PUT: etag %q (was %q), %v", etag, old, err)
	}
	if _, err := c.Put(ctx(t), hrefs[0], event("uid-0@test", "lost"), old); !errors.Is(err, caldav.ErrPreconditionFailed) {
		t.Errorf("PUT with a stale ETag: %v, want ErrPreconditionFailed", err)
	}
}
