package caldav

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// server answers a ctag PROPFIND at /cal/, redirects /old/ there and has
// nothing at /gone/.
func server(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/cal/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusMultiStatus)
		io.WriteString(w, `<?xml version="1.0"?><D:multistatus xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">`+
			`<D:response><D:href>/cal/</D:href><D:propstat><D:prop><CS:getctag>1</CS:getctag></D:prop>`+
			`<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>`)
	})
	mux.Handle("/old/", http.RedirectHandler("/cal/", http.StatusMovedPermanently))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestSetupCountedOnceAndGoneReported: the discovery cost goes into the
// first Delta only; a collection that redirects or answers 404 calls Gone.
func TestSetupCountedOnceAndGoneReported(t *testing.T) {
	srv := server(t)
	c, err := New(srv.URL+"/cal/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	gone := 0
	idle := `{"ctag":"1"}`
	f := Feed{Client: c, Collection: srv.URL + "/cal/", Setup: NewFeedSetup(4, Known{}), Gone: func() { gone++ }}
	for i, want := range []int{5, 1} {
		d, _, err := f.Changes(context.Background(), idle)
		if err != nil || d.Requests != want {
			t.Errorf("sync %d: %d requests, %v; want %d", i, d.Requests, err, want)
		}
	}
	f.Setup = NewFeedSetup(0, Known{CTag: "1"})
	if d, _, err := f.Changes(context.Background(), idle); err != nil || d.Requests != 0 {
		t.Errorf("with the ctag discovery just read: %d requests, %v; want 0", d.Requests, err)
	}
	if gone != 0 {
		t.Fatalf("Gone called %d times for a collection in place", gone)
	}

	f = Feed{Client: c, Collection: srv.URL + "/old/", Gone: func() { gone++ }}
	if _, _, err := f.Changes(context.Background(), idle); err != nil || gone != 1 {
		t.Errorf("redirected: %v, Gone called %d times, want 1", err, gone)
	}
	f.Collection = srv.URL + "/gone/"
	if _, _, err := f.Changes(context.Background(), idle); err == nil || gone != 2 {
		t.Errorf("404: %v, Gone called %d times, want 2", err, gone)
	}
}
