package sync_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// cyrusWorld is an agenda world on Cyrus, a server with RFC 6638
// scheduling: test@example.test organizes, grace@example.test is another
// user of the same server, anyone else is external (iMIP).
func cyrusWorld(t *testing.T) (*agendaWorld, time.Time) {
	srv := caldavtest.StartCyrus(t, caldavtest.User{Name: "grace", Password: "pw"})
	// Cyrus does not schedule occurrences in the past, so the series
	// starts after the real today; the writer's clock is a day before it.
	start := time.Now().UTC().Truncate(24 * time.Hour).Add(2*24*time.Hour + 10*time.Hour)
	w := &agendaWorld{world: &world{t: t, srv: srv, now: start.Add(-24 * time.Hour)}}
	w.col = srv.CalendarURL("test", "Default")
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "oneonone.db"), sync.Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	w.db = d
	w.engine = &sync.Engine{DB: d, Now: func() time.Time { return w.now }}
	w.cal = w.calendar("ada", "test", "testpass")
	w.client = mustClient(t, w.col, "test", "testpass")
	w.writer = &sync.AgendaWriter{DB: d, Now: func() time.Time { return w.now },
		Client: func(string) (sync.CalDAV, error) { return w.client, nil }}
	return w, start
}

func scheduledSeries(uid, other string, start time.Time, agent string) string {
	f := "20060102T150405Z"
	return strings.ReplaceAll(fmt.Sprintf(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//oneonone//test//EN
BEGIN:VEVENT
UID:%s
DTSTAMP:20261101T000000Z
DTSTART:%s
DTEND:%s
RRULE:FREQ=WEEKLY
SUMMARY:Ada / Bob 1:1
ORGANIZER:mailto:test@example.test
ATTENDEE;PARTSTAT=ACCEPTED%s:mailto:test@example.test
ATTENDEE;PARTSTAT=NEEDS-ACTION%s:mailto:%s
END:VEVENT
END:VCALENDAR
`, uid, start.Format(f), start.Add(30*time.Minute).Format(f), agent, agent, other), "\n", "\r\n")
}

// TestAgendaWritesSendNoSchedulingMessages: on a server that schedules
// (Cyrus, as Fastmail runs it), writing agendas into a 1:1 with an external
// attendee (iMIP) and one with an attendee on the same server (their own
// calendar copy) makes the server send nothing: the agenda is handed to
// prep to be mailed. The control write shows that the server does mail
// the attendee when an organizer changes the description.
func TestAgendaWritesSendNoSchedulingMessages(t *testing.T) {
	w, start := cyrusWorld(t)
	grace := mustClient(t, w.srv.CalendarURL("grace", "Default"), "grace", "pw")
	w.put("bob.ics", scheduledSeries("bob-1on1@example.test", "bob@other.test", start, ""))
	w.put("grace.ics", scheduledSeries("grace-1on1@example.test", "grace@example.test", start, ""))
	w.sync()
	invites := len(w.srv.IMIPMessages(t))
	if invites != 1 {
		t.Fatalf("creating the series sent %d iMIP messages, want 1 (the invitation to bob)", invites)
	}
	graceBefore := changesOf(t, grace, caldav.Cursor{})

	key := start.Add(7 * 24 * time.Hour).Format(time.RFC3339)
	for _, uid := range []string{"bob-1on1@example.test", "grace-1on1@example.test"} {
		for _, block := range []string{"first agenda", "second agenda"} {
			if err := w.write(uid, key, block); !errors.Is(err, prep.ErrNotWritable) {
				t.Errorf("%s: %v, want prep.ErrNotWritable (mail the agenda)", uid, err)
			}
		}
	}
	if got := w.srv.IMIPMessages(t); len(got) != invites {
		t.Errorf("agenda writes sent %d iMIP messages: %v", len(got)-invites, got[invites:])
	}
	if ch := changesOf(t, grace, graceBefore.cursor); len(ch.Updated)+len(ch.Deleted) != 0 {
		t.Errorf("grace's copy was changed by the server: %d updated, %d deleted", len(ch.Updated), len(ch.Deleted))
	}

	// Control: a client that writes the description anyway makes Cyrus mail bob.
	obj := w.get("bob")
	data := strings.Replace(string(obj.Data), "SUMMARY:", "DESCRIPTION:agenda\r\nSUMMARY:", 1)
	w.srv.Put(t, "test", w.col+"bob.ics", []byte(data))
	if got := len(w.srv.IMIPMessages(t)); got != invites+1 {
		t.Errorf("a description change sent %d iMIP messages, want 1: the count does not see them", got-invites)
	}
}

// TestAgendaWritesIntoClientScheduledEvents: attendees the client
// schedules (SCHEDULE-AGENT=CLIENT) are none of the server's business, so
// the agenda is written, and the server still sends nothing.
func TestAgendaWritesIntoClientScheduledEvents(t *testing.T) {
	w, start := cyrusWorld(t)
	w.put("bob.ics", scheduledSeries("bob-1on1@example.test", "bob@other.test", start, ";SCHEDULE-AGENT=CLIENT"))
	w.sync()
	key := start.Add(7 * 24 * time.Hour).Format(time.RFC3339)
	for _, block := range []string{"first agenda", "second agenda"} {
		if err := w.write("bob-1on1@example.test", key, block); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if got := w.srv.IMIPMessages(t); len(got) != 0 {
		t.Errorf("%d iMIP messages: %v", len(got), got)
	}
	desc := ""
	for _, o := range expandAll(t, w.get("bob").Data, start, start.Add(30*24*time.Hour)) {
		if occKey(o) == key {
			desc = o.Description
		}
	}
	if block, ok := calendars.AgendaBlock(desc); !ok || !strings.Contains(block, "second agenda") {
		t.Errorf("description = %q", desc)
	}
}

type changesResult struct {
	caldav.Changes
	cursor caldav.Cursor
}

func changesOf(t *testing.T, c *caldav.Client, cur caldav.Cursor) changesResult {
	t.Helper()
	ch, next, err := c.Changes(context.Background(), "", cur)
	if err != nil {
		t.Fatal(err)
	}
	return changesResult{ch, next}
}
