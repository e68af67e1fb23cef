package sync_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/google/googletest"
	"github.com/oneonone/oneonone/sync"
)

var agreeNow = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// staticFeed is a CalDAV collection's first sync: its objects, once.
type staticFeed []calendars.Object

func (f staticFeed) Changes(_ context.Context, cursor string) (calendars.Delta, string, error) {
	if cursor != "" {
		return calendars.Delta{Requests: 1}, cursor, nil
	}
	return calendars.Delta{Updated: f, Resynced: true, Requests: 1}, "listed", nil
}

// occurrenceRows describes every stored occurrence, by key.
func occurrenceRows(t *testing.T, d *sql.DB) []string {
	rows, err := d.Query(`SELECT recurrence_id, start, "end", state, declined_by FROM occurrences ORDER BY recurrence_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var key, start, end, state, declined string
		if err := rows.Scan(&key, &start, &end, &state, &declined); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join([]string{key, start, end, state, declined}, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// caldavICS is the same meeting as a CalDAV server holds it: weekly from
// 3 November, 1 December moved to the 2nd at 15:00, 8 December cancelled,
// 15 December declined by grace.
func caldavICS(uid string) string {
	head := "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Ada / Grace\r\nORGANIZER:mailto:ada@example.com\r\n"
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + head +
		"DTSTART;TZID=Europe/Berlin:20261103T100000\r\nDTEND;TZID=Europe/Berlin:20261103T103000\r\nRRULE:FREQ=WEEKLY\r\n" +
		"ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:grace@example.com\r\nEND:VEVENT\r\n" +
		head + "RECURRENCE-ID;TZID=Europe/Berlin:20261201T100000\r\nDTSTART;TZID=Europe/Berlin:20261202T150000\r\n" +
		"DTEND;TZID=Europe/Berlin:20261202T153000\r\nEND:VEVENT\r\n" +
		head + "RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000\r\nDTSTART;TZID=Europe/Berlin:20261208T100000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n" +
		head + "RECURRENCE-ID;TZID=Europe/Berlin:20261215T100000\r\nDTSTART;TZID=Europe/Berlin:20261215T100000\r\n" +
		"DTEND;TZID=Europe/Berlin:20261215T103000\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com\r\n" +
		"ATTENDEE;PARTSTAT=DECLINED:mailto:grace@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// The same meeting seen through Google and through CalDAV's iCalendar
// gives the engine the same occurrences under the same keys.
func TestGoogleAndCalDAVAgreeOnOccurrences(t *testing.T) {
	srv := googletest.New()
	defer srv.Close()
	srv.Now = func() time.Time { return agreeNow }
	srv.AddCalendar(gAda, gAda)
	srv.AddCalendar(gGrace, gGrace)
	id, uid := srv.AddRecurring(gAda, googletest.Recurring{Summary: "Ada / Grace", Start: tuesday(3, 11), TZ: "Europe/Berlin",
		RRule: "FREQ=WEEKLY", Organizer: gAda, Attendees: []string{gGrace}})
	srv.MoveOccurrence(gAda, id, tuesday(1, 12), time.Date(2026, 12, 2, 15, 0, 0, 0, berlin))
	srv.CancelOccurrence(gAda, id, tuesday(8, 12))
	srv.SetAttendeeResponse(gAda, google.InstanceID(id, tuesday(15, 12), false), gGrace, "declined")
	client, err := google.NewServiceAccount(t.Context(), srv.ServiceAccountKey(), gAda, google.Options{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	viaGoogle := sync.Calendar{Name: "ada", Kind: "google", Owner: gAda, Rules: calendars.DefaultRules(),
		Feed: google.Feed{Client: client, CalendarID: "primary"}}
	viaCalDAV := sync.Calendar{Name: "ada", Kind: "caldav", Owner: gAda, Rules: calendars.DefaultRules(),
		Feed: staticFeed{{Href: "a.ics", ETag: `"1"`, Data: []byte(caldavICS(uid))}}}
	var got [][]string
	for _, cal := range []sync.Calendar{viaGoogle, viaCalDAV} {
		d, e := openEngine(t, func() time.Time { return agreeNow })
		if s := e.SyncOne(t.Context(), cal, []sync.Calendar{cal}); s.Err != nil {
			t.Fatal(s.Err)
		}
		got = append(got, occurrenceRows(t, d))
	}
	g, c := strings.Join(got[0], "\n"), strings.Join(got[1], "\n")
	if g != c || len(got[0]) != 12 {
		t.Errorf("occurrences through Google:\n%s\nthrough CalDAV:\n%s", g, c)
	}
	for _, want := range []string{"2026-12-02T15:00:00+01:00 2026-12-02T15:30:00+01:00 moved", "2026-12-08T09:00:00Z 2026-12-08T10:00:00+01:00",
		"cancelled", "declined grace@example.com"} {
		if !strings.Contains(g, want) {
			t.Errorf("no %q among the occurrences:\n%s", want, g)
		}
	}
}
