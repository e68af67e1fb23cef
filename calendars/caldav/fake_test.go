package caldav_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
)

// startFake serves f and returns a client for its calendar with n objects.
func startFake(t *testing.T, f *fakeDAV, n int) (*caldav.Client, string, []string) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	var hrefs []string
	for i := range n {
		p := fmt.Sprintf("%se%d.ics", fakeColl, i)
		f.put(p, event(fmt.Sprintf("uid-%d@test", i), "x"))
		hrefs = append(hrefs, p)
	}
	coll := srv.URL + fakeColl
	return newClient(t, coll, caldav.Options{Username: "u", Password: "pw"}), coll, hrefs
}

func TestTruncatedSyncIsContinued(t *testing.T) {
	f := newFakeDAV()
	f.pageSize = 3
	c, coll, hrefs := startFake(t, f, 7)

	ch, cur := changes(t, c, coll, caldav.Cursor{})
	wantHrefs(t, "first sync", updatedHrefs(ch), hrefs)
	if len(ch.Deleted) != 0 || ch.Requests != 4 { // three sync pages, one multiget
		t.Errorf("first sync: deleted %q, %d requests; want none, 4", ch.Deleted, ch.Requests)
	}

	for _, p := range hrefs[:4] {
		f.put(p, event("changed", "x"))
	}
	f.remove(hrefs[6])
	ch, cur = changes(t, c, coll, cur)
	wantHrefs(t, "updated", updatedHrefs(ch), hrefs[:4])
	wantHrefs(t, "deleted", ch.Deleted, hrefs[6:])

	// A resync whose first page holds only part of the collection.
	f.forget()
	ch, _ = changes(t, c, coll, cur)
	if !ch.Resynced || len(ch.Updated)+len(ch.Deleted) != 0 {
		t.Errorf("truncated resync of an unchanged collection: %+v, want no changes", ch)
	}
}

func TestEmptyListingIsReadTwice(t *testing.T) {
	for _, noSync := range []bool{false, true} {
		t.Run(fmt.Sprintf("noSync=%v", noSync), func(t *testing.T) {
			f := newFakeDAV()
			f.noSync = noSync
			c, coll, hrefs := startFake(t, f, 3)
			_, cur := changes(t, c, coll, caldav.Cursor{})

			// A glitch: one empty answer, then the objects are back.
			f.forget()
			f.emptyListings = 1
			f.put(hrefs[0], event("uid-0@test", "x")) // move the ctag
			ch, cur := changes(t, c, coll, cur)
			if len(ch.Deleted) != 0 {
				t.Errorf("one empty answer reported deletions: %q", ch.Deleted)
			}
			wantHrefs(t, "updated", updatedHrefs(ch), hrefs[:1])

			// Really emptied: two empty answers in a row.
			for _, p := range hrefs {
				f.remove(p)
			}
			f.forget()
			before := len(f.seen())
			ch, _ = changes(t, c, coll, cur)
			wantHrefs(t, "deleted", ch.Deleted, hrefs)
			if got := len(f.seen()) - before; got != ch.Requests || ch.Requests < 3 {
				t.Errorf("emptied collection: Requests=%d, server saw %d; want the listing read twice", ch.Requests, got)
			}
		})
	}
}

func TestStaleTokenStatusesResync(t *testing.T) {
	for _, status := range []int{http.StatusInternalServerError, http.StatusBadRequest,
		http.StatusConflict, http.StatusPreconditionFailed, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			f := newFakeDAV()
			f.staleStatus = status
			c, coll, hrefs := startFake(t, f, 3)
			_, cur := changes(t, c, coll, caldav.Cursor{})
			f.remove(hrefs[1])
			f.forget()
			ch, next := changes(t, c, coll, cur)
			if !ch.Resynced || len(ch.Updated) != 0 {
				t.Errorf("%d on a stale token: %+v, want a resync without updates", status, ch)
			}
			wantHrefs(t, "deleted", ch.Deleted, hrefs[1:2])
			if next.SyncToken == cur.SyncToken || len(next.ETags) != 2 {
				t.Errorf("cursor after resync: %+v", next)
			}
		})
	}
}

func TestWeakAndUnquotedETags(t *testing.T) {
	for style, wantIfMatch := range map[string]string{"weak": `W/"4"`, "unquoted": `"4"`} {
		t.Run(style, func(t *testing.T) {
			f := newFakeDAV()
			f.etagStyle = style
			f.relative = true
			c, coll, hrefs := startFake(t, f, 3)
			ch, cur := changes(t, c, coll, caldav.Cursor{})
			wantHrefs(t, "updated", updatedHrefs(ch), hrefs)
			if got := cur.ETags[hrefs[0]]; got != f.objs[hrefs[0]].etag {
				t.Errorf("etag kept as %q, server sent %q", got, f.objs[hrefs[0]].etag)
			}
			etag := f.put(hrefs[0], event("uid-0@test", "y"))
			if _, err := c.Put(ctx(t), hrefs[0], event("uid-0@test", "z"), etag); err != nil {
				t.Fatalf("Put with the server's etag %s: %v", etag, err)
			}
			if got := f.ifMatch[len(f.ifMatch)-1]; got != wantIfMatch {
				t.Errorf("If-Match sent: %s, want %s", got, wantIfMatch)
			}
			idle, _ := changes(t, c, coll, cur)
			wantHrefs(t, "updated after put", updatedHrefs(idle), hrefs[:1])
		})
	}
}

func TestPutWithoutETagInAnswer(t *testing.T) {
	f := newFakeDAV()
	f.omitETagOnPut = true
	c, _, _ := startFake(t, f, 0)
	etag, err := c.Put(ctx(t), fakeColl+"new.ics", event("new@test", "x"), "")
	if err != nil || etag != f.objs[fakeColl+"new.ics"].etag {
		t.Errorf("Put = %q, %v; want the stored etag %q", etag, err, f.objs[fakeColl+"new.ics"].etag)
	}
}

func TestMultigetLeavesOneOut(t *testing.T) {
	f := newFakeDAV()
	c, coll, hrefs := startFake(t, f, 3)
	f.omitInGet = hrefs[1]
	ch, cur := changes(t, c, coll, caldav.Cursor{})
	wantHrefs(t, "updated", updatedHrefs(ch), hrefs)
	checkObjects(t, ch)
	if cur.ETags[hrefs[1]] != f.objs[hrefs[1]].etag {
		t.Errorf("etag of the object read by GET: %q", cur.ETags[hrefs[1]])
	}
}

func TestHTTPErrors(t *testing.T) {
	status := http.StatusServiceUnavailable
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", status)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL+"/cal/", caldav.Options{Username: "ada", Password: "hunter2"})

	_, err := c.Get(ctx(t), "/cal/a.ics")
	var he *caldav.HTTPError
	if !errors.As(err, &he) || he.Status != status || he.Method != "GET" || he.URL != srv.URL+"/cal/a.ics" || he.Body != "down for maintenance" {
		t.Errorf("503: %#v", err)
	}
	status = http.StatusUnauthorized
	_, _, err = c.Changes(ctx(t), srv.URL+"/cal/", caldav.Cursor{})
	if !errors.Is(err, caldav.ErrUnauthorized) || !errors.As(err, &he) || he.Status != 401 {
		t.Errorf("401: %v", err)
	}
	if msg := err.Error(); strings.Contains(msg, "hunter2") || !strings.Contains(msg, `"ada"`) {
		t.Errorf("401 message: %s", msg)
	}
}

func TestTimeoutIsHTTPError(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	c := newClient(t, srv.URL+"/cal/", caldav.Options{HTTPClient: &http.Client{Timeout: 100 * time.Millisecond}})
	_, _, err := c.Changes(ctx(t), srv.URL+"/cal/", caldav.Cursor{})
	var he *caldav.HTTPError
	if !errors.As(err, &he) || he.Status != 0 || he.Method != "REPORT" || he.Err == nil {
		t.Fatalf("timeout: %#v", err)
	}
}

// TestObjectTooLargeIsSkipped: a multiget answer over MaxResponseBytes is
// asked again in halves; the one object too large on its own is skipped
// with why, the others are read, and the cursor moves past it, so it
// never stops the calendar.
func TestObjectTooLargeIsSkipped(t *testing.T) {
	f := newFakeDAV()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	var hrefs []string
	for i := range 5 {
		p := fmt.Sprintf("%se%d.ics", fakeColl, i)
		summary := "x"
		if i == 3 {
			summary = strings.Repeat("y", 20<<10)
		}
		f.put(p, event(fmt.Sprintf("uid-%d@test", i), summary))
		hrefs = append(hrefs, p)
	}
	c := newClient(t, srv.URL+fakeColl, caldav.Options{Username: "u", Password: "pw", MaxResponseBytes: 8 << 10})
	ch, cur := changes(t, c, srv.URL+fakeColl, caldav.Cursor{})
	wantHrefs(t, "updated", updatedHrefs(ch), []string{hrefs[0], hrefs[1], hrefs[2], hrefs[4]})
	if len(ch.Skipped) != 1 || ch.Skipped[0].Href != hrefs[3] || !strings.Contains(ch.Skipped[0].Reason, "larger than 8192 bytes (the limit of one response); not read") {
		t.Fatalf("skipped %+v, want %s as too large", ch.Skipped, hrefs[3])
	}
	if cur.ETags[hrefs[3]] == "" {
		t.Error("the cursor does not move past the skipped object")
	}
	if ch, _ := changes(t, c, srv.URL+fakeColl, cur); len(ch.Updated)+len(ch.Skipped) != 0 {
		t.Errorf("the next poll reads again: %d updated, %+v skipped", len(ch.Updated), ch.Skipped)
	}
}
