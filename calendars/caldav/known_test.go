package caldav_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/caldav"
)

// reports counts the REPORTs among requests such as "REPORT /cal/work/".
func reports(seen []string) int {
	n := 0
	for _, r := range seen {
		if strings.HasPrefix(r, "REPORT ") {
			n++
		}
	}
	return n
}

// TestServerWithoutSyncIsNotAsked: discovery reads a supported-report-set
// without sync-collection, so the first sync lists by PROPFIND without
// trying sync-collection, and an idle sync right after discovery uses the
// ctag discovery read: no second getctag.
func TestServerWithoutSyncIsNotAsked(t *testing.T) {
	f := newFakeDAV()
	f.noSync = true
	c, coll, _ := startFake(t, f, 2)
	cals, err := c.Discover(ctx(t))
	if err != nil || len(cals) != 1 {
		t.Fatalf("Discover: %v, %v", cals, err)
	}
	if !cals[0].NoSync || cals[0].SupportsSync || cals[0].CTag == "" {
		t.Fatalf("discovered %+v: want NoSync and a ctag", cals[0])
	}
	before := len(f.seen())
	ch, cur, err := c.ChangesKnown(ctx(t), coll, caldav.Cursor{}, cals[0].Known())
	if err != nil || len(ch.Updated) != 2 {
		t.Fatalf("first sync: %v, %d updated", err, len(ch.Updated))
	}
	if got := f.seen()[before:]; got[0] != "PROPFIND "+fakeColl || !cur.NoSync {
		t.Errorf("first sync sent %v (cursor NoSync %v): want a PROPFIND listing first, no sync-collection", got, cur.NoSync)
	}

	cals, _ = c.Discover(ctx(t))
	before = len(f.seen())
	ch, _, err = c.ChangesKnown(ctx(t), coll, cur, cals[0].Known())
	if err != nil || ch.Requests != 0 || len(f.seen()) != before {
		t.Errorf("idle sync after discovery: %v, %d requests: %v", err, ch.Requests, f.seen()[before:])
	}

	// Without discovery the cursor remembers: a forced resync lists by PROPFIND.
	before = len(f.seen())
	if _, _, err := c.Changes(ctx(t), coll, caldav.Cursor{NoSync: cur.NoSync}); err != nil {
		t.Fatal(err)
	}
	if n := reports(f.seen()[before:]); n != 1 { // the multiget only
		t.Errorf("%d REPORTs (%v), want just the multiget", n, f.seen()[before:])
	}
}

// TestRefusedSyncCollectionIsNotAskedAgain: a server that does not list its
// reports refuses sync-collection once; the cursor remembers it.
func TestRefusedSyncCollectionIsNotAskedAgain(t *testing.T) {
	f := newFakeDAV()
	f.noSync = true
	c, coll, _ := startFake(t, f, 1)
	_, cur := changes(t, c, coll, caldav.Cursor{})
	if !cur.NoSync {
		t.Fatal("the cursor does not remember the refusal")
	}
	// A full listing of the unchanged collection fetches nothing, so any
	// REPORT would be a sync-collection.
	before := len(f.seen())
	changes(t, c, coll, caldav.Cursor{NoSync: true, ETags: cur.ETags})
	if got := f.seen()[before:]; reports(got) != 0 || !slices.Equal(got, []string{"PROPFIND " + fakeColl}) {
		t.Errorf("asked again: %v", got)
	}
}

// TestKnownSyncTokenSkipsTheReport: a sync token discovery just read that
// equals the cursor's means nothing changed.
func TestKnownSyncTokenSkipsTheReport(t *testing.T) {
	f := newFakeDAV()
	c, coll, _ := startFake(t, f, 1)
	_, cur := changes(t, c, coll, caldav.Cursor{})
	ch, next, err := c.ChangesKnown(ctx(t), coll, cur, caldav.Known{SyncToken: cur.SyncToken})
	if err != nil || ch.Requests != 0 || next.SyncToken != cur.SyncToken {
		t.Errorf("same token: %v, %d requests", err, ch.Requests)
	}
	f.put(fakeColl+"new.ics", event("new@test", "x"))
	ch, _, err = c.ChangesKnown(ctx(t), coll, cur, caldav.Known{SyncToken: "urn:fake:0:99"})
	if err != nil || len(ch.Updated) != 1 {
		t.Errorf("another token: %v, %d updated, want the new object", err, len(ch.Updated))
	}
}

// TestRequestsCountDiscoveryAndMovedIsReported: the client counts every
// request; a collection that redirects is reported as moved.
func TestRequestsCountDiscoveryAndMovedIsReported(t *testing.T) {
	f := newFakeDAV()
	mux := http.NewServeMux()
	mux.Handle("/", f)
	mux.Handle("/old/", http.RedirectHandler(fakeColl, http.StatusMovedPermanently))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL+"/cal/", caldav.Options{})
	if _, err := c.Discover(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if got, want := c.Requests(), int64(len(f.seen())); got != want || got == 0 {
		t.Errorf("Requests() = %d after discovery, the server saw %d", got, want)
	}
	ch, _, err := c.Changes(ctx(t), srv.URL+"/old/", caldav.Cursor{})
	if err != nil || !ch.Moved {
		t.Errorf("redirected collection: %v, Moved %v", err, ch.Moved)
	}
	ch, _, _ = c.Changes(ctx(t), srv.URL+fakeColl, caldav.Cursor{})
	if ch.Moved {
		t.Error("a collection answering at its URL is reported moved")
	}
}

// TestTooManyMatchesListsByPropfind: a server that refuses a
// sync-collection as too large (507 number-of-matches-within-limits, as
// sabre/dav does with a result limit), first or later, is listed by
// PROPFIND and nothing is lost.
func TestTooManyMatchesListsByPropfind(t *testing.T) {
	f := newFakeDAV()
	c, coll, hrefs := startFake(t, f, 3)
	_, cur := changes(t, c, coll, caldav.Cursor{})
	f.tooMany = true
	f.put(hrefs[0], event("uid-0@test", "changed"))
	ch, next := changes(t, c, coll, cur)
	wantHrefs(t, "after a 507 on the incremental sync", updatedHrefs(ch), hrefs[:1])
	if len(ch.Deleted) != 0 || !next.NoSync {
		t.Errorf("deleted %v, cursor NoSync %v", ch.Deleted, next.NoSync)
	}
	ch, _ = changes(t, c, coll, caldav.Cursor{})
	wantHrefs(t, "a first sync after a 507", updatedHrefs(ch), hrefs)
}
