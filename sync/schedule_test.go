package sync_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db/dbtest"
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
	d := dbtest.OpenEnv(t, sync.Schema)
	w.db = d
	w.engine = &sync.Engine{DB: d, Now: func() time.Time { return w.now }}
	w.cal = w.calendar("ada", "test", "testpass")
	w.client = mustClient(t, w.col, "test", "testpass")
	w.writer = &sync.AgendaWriter{DB: d, Now: func() time.Time { return w.now },
		Writer: func(string) (sync.OccurrenceWriter, error) { return caldav.Writer{Objects: w.client}, nil }}
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
	invites := len(waitIMIP(t, w.srv, 1))
	if invites != 1 {
		t.Fatalf("creating the series sent %d iMIP messages, want 1 (the invitation to bob)", invites)
	}
	graceBefore := changesOf(t, grace, caldav.Cursor{})
	inbox := mustClient(t, w.srv.CalendarURL("grace", "Inbox"), "grace", "pw")
	inboxBefore := changesOf(t, inbox, caldav.Cursor{})

	key := start.Add(7 * 24 * time.Hour).Format(time.RFC3339)
	for _, uid := range []string{"bob-1on1@example.test", "grace-1on1@example.test"} {
		for _, block := range []string{"first agenda", "second agenda"} {
			if err := w.write(uid, key, block); !errors.Is(err, prep.ErrNotWritable) {
				t.Errorf("%s: %v, want prep.ErrNotWritable (mail the agenda)", uid, err)
			}
		}
	}
	if ch := changesOf(t, grace, graceBefore.cursor); len(ch.Updated)+len(ch.Deleted) != 0 {
		t.Errorf("grace's copy was changed by the server: %d updated, %d deleted", len(ch.Updated), len(ch.Deleted))
	}
	if ch := changesOf(t, inbox, inboxBefore.cursor); len(ch.Updated) != 0 {
		t.Errorf("%d iTIP messages in grace's scheduling inbox", len(ch.Updated))
	}

	// Control, and a barrier: a client that writes the description anyway
	// makes Cyrus mail bob. Its server mails in order, so once this message
	// is out, any the agenda writes caused would be too.
	obj := w.get("bob")
	data := strings.Replace(string(obj.Data), "SUMMARY:", "DESCRIPTION:control write\r\nSUMMARY:", 1)
	w.srv.Put(t, "test", w.col+"bob.ics", []byte(data))
	got := waitIMIP(t, w.srv, invites+1)
	if len(got) != invites+1 || !strings.Contains(got[len(got)-1], "control write") {
		t.Errorf("after the agenda writes and one control write, %d iMIP messages (want %d, the last the control): %v", len(got), invites+1, got[invites:])
	}
}

// waitIMIP waits until the server has sent at least n iMIP messages (it
// sends them asynchronously), at most 10 s, and returns all it sent.
func waitIMIP(t *testing.T, srv *caldavtest.Server, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := srv.IMIPMessages(t)
		if len(got) >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
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
	// No barrier here: a client-scheduled event gives the server nothing to
	// send, so a control message cannot be had; wait as long as a message
	// takes above instead.
	time.Sleep(time.Second)
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
