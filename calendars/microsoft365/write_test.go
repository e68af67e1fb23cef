package microsoft365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars"
)

// copyStub serves one occurrence of Grace's copy: the calendarView
// and the event with its etag; PATCH needs If-Match on the current etag.
type copyStub struct {
	*stub
	organizer bool
	body      string
	etag      int
	patches   []string // If-Match of each PATCH
	conflicts int      // PATCHes answered 412 before one is taken
}

func newCopyStub(t *testing.T, body string, organizer bool) *copyStub {
	c := &copyStub{stub: newStub(t), body: body, organizer: organizer, etag: 1}
	c.handle(deltaPath, jsonBody(200, `{"value":[`+sparseOccurrence("o1", "2026-11-03T09:00:00")+","+
		sparseOccurrence("o2", "2026-11-10T09:00:00")+`],"@odata.deltaLink":"x"}`))
	c.handle("GET /v1.0/users/grace@contoso.com/events/o2", func(w http.ResponseWriter, r *http.Request) {
		b, _ := json.Marshal(map[string]any{"id": "o2", "@odata.etag": c.tag(), "isOrganizer": c.organizer,
			"body": map[string]string{"contentType": "html", "content": c.body}})
		jsonBody(200, string(b))(w, r)
	})
	c.handle("PATCH /v1.0/users/grace@contoso.com/events/o2", func(w http.ResponseWriter, r *http.Request) {
		c.patches = append(c.patches, r.Header.Get("If-Match"))
		if c.conflicts > 0 {
			c.conflicts--
			c.etag++
			c.body = strings.Replace(c.body, "</body>", "<p>edited meanwhile</p></body>", 1)
		}
		if r.Header.Get("If-Match") != c.tag() {
			jsonBody(412, `{"error":{"code":"ErrorIrresolvableConflict","message":"The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item."}}`)(w, r)
			return
		}
		var p struct {
			Body itemBody `json:"body"`
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &p); err != nil || p.Body.ContentType != "html" {
			jsonBody(400, `{"error":{"code":"test","message":"bad patch"}}`)(w, r)
			return
		}
		c.body = p.Body.Content
		c.etag++
		jsonBody(200, `{}`)(w, r)
	})
	return c
}

func (c *copyStub) tag() string { return fmt.Sprintf(`W/"o2-%d"`, c.etag) }

func writeAgenda(t *testing.T, c *copyStub, block string) error {
	t.Helper()
	w := Writer{Client: c.client(t, "secret", nil)}
	ref := calendars.OccurrenceRef{Href: "AAMk-m1", SeriesUID: "uid-1", RecurrenceID: "2026-11-10T09:00:00Z"}
	_, err := w.WriteOccurrence(context.Background(), ref, calendars.AgendaEdit(block))
	return err
}

// TestAgendaGoesIntoTheAttendeesHTMLBody: the block is put inside the
// HTML body of that one occurrence with If-Match; the user's text stays;
// a second write replaces the block rather than adding one.
func TestAgendaGoesIntoTheAttendeesHTMLBody(t *testing.T) {
	c := newCopyStub(t, `<html><body><p>Grace's notes: <b>bring the slides</b></p></body></html>`, false)
	if err := writeAgenda(t, c, "1. Roadmap"); err != nil {
		t.Fatal(err)
	}
	if err := writeAgenda(t, c, "1. Hiring"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.body, "<b>bring the slides</b>") || !strings.Contains(c.body, "Hiring") ||
		strings.Contains(c.body, "Roadmap") || strings.Count(c.body, "Hiring") != 1 {
		t.Errorf("body:\n%s", c.body)
	}
	if len(c.patches) != 2 || c.patches[0] != `W/"o2-1"` {
		t.Errorf("patches with If-Match %v", c.patches)
	}
}

// TestAgendaWriteRetriesA412: someone edits between our read and our
// write: the body is read again and their edit kept.
func TestAgendaWriteRetriesA412(t *testing.T) {
	c := newCopyStub(t, `<html><body><p>notes</p></body></html>`, false)
	c.conflicts = 1
	if err := writeAgenda(t, c, "1. Roadmap"); err != nil {
		t.Fatal(err)
	}
	if len(c.patches) != 2 || !strings.Contains(c.body, "edited meanwhile") || !strings.Contains(c.body, "Roadmap") {
		t.Errorf("patches %v body %s", c.patches, c.body)
	}
}

// TestOrganizersCopyIsNeverWritten: a change to the organizer's copy
// would send an update to every attendee, so it is refused unwritten.
func TestOrganizersCopyIsNeverWritten(t *testing.T) {
	c := newCopyStub(t, `<p>notes</p>`, true)
	err := writeAgenda(t, c, "1. Roadmap")
	if !errors.Is(err, calendars.ErrNotWritable) || len(c.patches) > 0 {
		t.Errorf("err %v, %d patches", err, len(c.patches))
	}
}

func TestMissingOccurrenceIsNoOccurrence(t *testing.T) {
	c := newCopyStub(t, `<p>notes</p>`, false)
	w := Writer{Client: c.client(t, "secret", nil)}
	ref := calendars.OccurrenceRef{Href: "AAMk-m1", SeriesUID: "uid-1", RecurrenceID: "2026-11-17T09:00:00Z"}
	if _, err := w.WriteOccurrence(context.Background(), ref, calendars.AgendaEdit("x")); !errors.Is(err, calendars.ErrNoOccurrence) {
		t.Errorf("got %v", err)
	}
}
