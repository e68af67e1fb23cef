package microsoft365

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// sparseOccurrence is an occurrence as calendarView delta returns it:
// ids and times only.
func sparseOccurrence(id, start string) string {
	return fmt.Sprintf(`{"@odata.type":"#microsoft.graph.event","@odata.etag":"W/\"%s\"","id":"%s","type":"occurrence","seriesMasterId":"AAMk-m1",`+
		`"start":{"dateTime":"%s.0000000","timeZone":"UTC"},"end":{"dateTime":"%s.0000000","timeZone":"UTC"}}`, id, id, start, start)
}

type deltaScript struct {
	pages map[string]string // $deltatoken or $skiptoken ("" for the first request) → page
	gone  bool              // the delta token expired
}

func (d *deltaScript) serve(base string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("$deltatoken") + r.URL.Query().Get("$skiptoken")
		if d.gone && r.URL.Query().Get("$deltatoken") != "" {
			jsonBody(410, `{"error":{"code":"syncStateNotFound","message":"The sync state generation is not found."}}`)(w, r)
			return
		}
		if !strings.Contains(r.Header.Get("Prefer"), "odata.maxpagesize=") || !strings.Contains(r.Header.Get("Prefer"), `outlook.timezone="UTC"`) {
			jsonBody(400, `{"error":{"code":"test","message":"Prefer missing"}}`)(w, r)
			return
		}
		body, ok := d.pages[tok]
		if !ok {
			jsonBody(400, `{"error":{"code":"test","message":"unknown token `+tok+`"}}`)(w, r)
			return
		}
		jsonBody(200, strings.ReplaceAll(body, "BASE", base))(w, r)
	}
}

const deltaPath = "GET /v1.0/users/grace@contoso.com/calendarView/delta"

func seriesStub(t *testing.T) (*stub, *deltaScript) {
	s := newStub(t)
	d := &deltaScript{pages: map[string]string{
		"": `{"value":[` + sparseOccurrence("o1", "2026-11-03T09:00:00") + `],"@odata.nextLink":"BASE/v1.0/users/grace@contoso.com/calendarView/delta?$skiptoken=p2"}`,
		"p2": `{"value":[` + sparseOccurrence("o2", "2026-11-10T09:00:00") + `,` + graphException +
			`,{"id":"single","type":"singleInstance","subject":"lunch"}],"@odata.deltaLink":"BASE/v1.0/users/grace@contoso.com/calendarView/delta?$deltatoken=d1"}`,
		"d1": `{"value":[],"@odata.deltaLink":"BASE/v1.0/users/grace@contoso.com/calendarView/delta?$deltatoken=d1"}`,
	}}
	s.handle(deltaPath, d.serve(s.srv.URL))
	s.handle("GET /v1.0/users/grace@contoso.com/events/AAMk-m1", jsonBody(200, graphMaster))
	s.handle("GET /v1.0/users/grace@contoso.com/events/AAMk-x1", jsonBody(200, graphException))
	return s, d
}

var (
	winFrom = time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC)
	winTo   = time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
)

func hrefs(ch Changes) []string {
	var out []string
	for _, o := range ch.Updated {
		out = append(out, o.Href)
	}
	return out
}

// TestDeltaFirstReadThenIdle: the first read follows nextLink to the
// deltaLink, reads the series master once for its sparse occurrences,
// and hands over the master and the exception; one-offs are left out.
// The next poll with nothing new is one request.
func TestDeltaFirstReadThenIdle(t *testing.T) {
	s, _ := seriesStub(t)
	c := s.client(t, "secret", nil)
	ch, cur, err := c.Changes(context.Background(), grace, Cursor{}, winFrom, winTo)
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Resynced || !slices.Equal(hrefs(ch), []string{"AAMk-m1", "AAMk-x1"}) || len(ch.Deleted) > 0 {
		t.Errorf("first read: %v deleted %v resynced %v", hrefs(ch), ch.Deleted, ch.Resynced)
	}
	if ch.Requests != 3 || !strings.Contains(cur.DeltaLink, "$deltatoken=d1") {
		t.Errorf("requests %d (want 2 pages + 1 master), cursor %q; log %v", ch.Requests, cur.DeltaLink, s.requests())
	}
	n := len(s.requests())
	ch, _, err = c.Changes(context.Background(), grace, cur, winFrom, winTo)
	if err != nil || len(ch.Updated)+len(ch.Deleted) > 0 || ch.Requests != 1 || len(s.requests()) != n+1 {
		t.Errorf("idle poll: %v %v, %d requests, err %v", hrefs(ch), ch.Deleted, ch.Requests, err)
	}
}

// TestRemovedOccurrence: an @removed occurrence whose master still
// exists is, in the organizer's copy, a cancelled override at its
// original start; in an attendee's copy (Outlook removes what its
// attendee declined, and keeps what the organizer cancelled) an override
// with the owner's answer declined. A removed master (every occurrence
// removed, the master 404) deletes what was handed over for the series.
func TestRemovedOccurrence(t *testing.T) {
	for _, organizer := range []bool{true, false} {
		s, d := seriesStub(t)
		if organizer {
			s.handle("GET /v1.0/users/grace@contoso.com/events/AAMk-m1",
				jsonBody(200, strings.Replace(graphMaster, `"isOrganizer":false`, `"isOrganizer":true`, 1)))
		}
		c := s.client(t, "secret", nil)
		_, cur, err := c.Changes(context.Background(), grace, Cursor{}, winFrom, winTo)
		if err != nil {
			t.Fatal(err)
		}
		d.pages["d1"] = `{"value":[{"id":"o2","@removed":{"reason":"deleted"}}],"@odata.deltaLink":"BASE/v1.0/users/grace@contoso.com/calendarView/delta?$deltatoken=d2"}`
		ch, cur, err := c.Changes(context.Background(), grace, cur, winFrom, winTo)
		if err != nil || !slices.Equal(hrefs(ch), []string{"AAMk-m1", "o2"}) {
			t.Fatalf("removed occurrence: %v, %v", hrefs(ch), err)
		}
		got := string(ch.Updated[1].Data)
		want := "STATUS:CANCELLED"
		if !organizer {
			want = "PARTSTAT=DECLINED:mailto:grace@contoso.com"
		}
		if !strings.Contains(got, "RECURRENCE-ID;TZID=Europe/Berlin:20261110T100000") || !strings.Contains(got, want) {
			t.Errorf("organizer %v: override lacks %s:\n%s", organizer, want, got)
		}
		d.pages["d2"] = `{"value":[{"id":"o1","@removed":{"reason":"deleted"}},{"id":"AAMk-x1","@removed":{"reason":"deleted"}}],` +
			`"@odata.deltaLink":"BASE/v1.0/users/grace@contoso.com/calendarView/delta?$deltatoken=d3"}`
		s.handle("GET /v1.0/users/grace@contoso.com/events/AAMk-m1", nil)
		ch, cur, err = c.Changes(context.Background(), grace, cur, winFrom, winTo)
		if err != nil || len(ch.Updated) > 0 || !slices.Equal(ch.Deleted, []string{"AAMk-m1", "AAMk-x1", "o2"}) {
			t.Errorf("deleted series: updated %v deleted %v err %v", hrefs(ch), ch.Deleted, err)
		}
		if len(cur.Masters)+len(cur.Instances) > 0 {
			t.Errorf("cursor still holds %v %v", cur.Masters, cur.Instances)
		}
	}
}

// TestExpiredDeltaTokenRereadsTheWindow: 410 syncStateNotFound reads
// the whole window again; what it still lists is handed over again,
// nothing is deleted for being absent alone, and an occurrence inside
// the window no longer listed is an override (declined, in Grace's copy).
func TestExpiredDeltaTokenRereadsTheWindow(t *testing.T) {
	s, d := seriesStub(t)
	c := s.client(t, "secret", nil)
	_, cur, err := c.Changes(context.Background(), grace, Cursor{}, winFrom, winTo)
	if err != nil {
		t.Fatal(err)
	}
	d.gone = true
	d.pages["p2"] = `{"value":[` + graphException + `],"@odata.deltaLink":"BASE/v1.0/users/grace@contoso.com/calendarView/delta?$deltatoken=d9"}`
	ch, cur, err := c.Changes(context.Background(), grace, cur, winFrom, winTo)
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Resynced || !slices.Equal(hrefs(ch), []string{"AAMk-m1", "AAMk-x1", "o2"}) || len(ch.Deleted) > 0 {
		t.Errorf("re-read: updated %v deleted %v resynced %v", hrefs(ch), ch.Deleted, ch.Resynced)
	}
	if !strings.Contains(cur.DeltaLink, "d9") {
		t.Errorf("cursor %q", cur.DeltaLink)
	}
}

// TestWindowMovedOnRereads: a delta link keeps the window it started
// with; once the sync window runs more than a week past it, the window is
// read afresh; another mailbox's cursor starts afresh too.
func TestWindowMovedOnRereads(t *testing.T) {
	s, _ := seriesStub(t)
	c := s.client(t, "secret", nil)
	_, cur, err := c.Changes(context.Background(), grace, Cursor{}, winFrom, winTo)
	if err != nil {
		t.Fatal(err)
	}
	week := 7 * 24 * time.Hour
	ch, next, err := c.Changes(context.Background(), grace, cur, winFrom.Add(week), winTo.Add(week))
	if err != nil || ch.Resynced || next.To != winTo {
		t.Errorf("a week on: resynced %v, window to %v, %v", ch.Resynced, next.To, err)
	}
	ch, next, err = c.Changes(context.Background(), grace, cur, winFrom.Add(8*24*time.Hour), winTo.Add(8*24*time.Hour))
	if err != nil || !ch.Resynced || !next.To.Equal(winTo.Add(8*24*time.Hour)) {
		t.Errorf("eight days on: resynced %v, window to %v, %v", ch.Resynced, next.To, err)
	}
	cur.User = "someone@contoso.com"
	if ch, _, err := c.Changes(context.Background(), grace, cur, winFrom, winTo); err != nil || !ch.Resynced {
		t.Errorf("another mailbox's cursor: resynced %v, %v", ch.Resynced, err)
	}
}
