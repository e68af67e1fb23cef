package sync_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// hostile is an invitation from mallory to ada, which the calendar
// server accepted as it is.
func hostile(uid, body string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
		"\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261029T080000Z\r\nDTEND:20261029T083000Z\r\nORGANIZER:mailto:mallory@example.net\r\n" +
		"ATTENDEE:mailto:ada@example.com\r\n" + strings.ReplaceAll(body, "\n", "\r\n") + "END:VEVENT\r\nEND:VCALENDAR\r\n"
}

// TestHostileObjectsAreBounded: invitations built to cost (rules that
// repeat every second, a hundred thousand of them, every hour of every
// day, a flood of RDATEs, 5,000 attendees with a 64 KiB title) sit in the same Radicale calendar as a normal 1:1. The
// sync succeeds, stores a bounded number of rows for each, and still
// tracks the normal 1:1.
func TestHostileObjectsAreBounded(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	var rdates strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&rdates, "RDATE:202611%02dT%02d%02d00Z\n", 1+i%28, i/28%24, i%60)
	}
	w.put("secondly.ics", hostile("secondly", "RRULE:FREQ=SECONDLY\n"))
	// Radicale itself takes seconds to store a COUNT of a million; the
	// expansion of one is tested in calendars.
	w.put("million.ics", hostile("million", "RRULE:FREQ=SECONDLY;COUNT=100000\n"))
	w.put("hourly.ics", hostile("hourly", "RRULE:FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23\n"))
	w.put("rdates.ics", hostile("rdates", "RRULE:FREQ=WEEKLY\n"+rdates.String()))
	w.put("crowd.ics", hostile("crowd", "RRULE:FREQ=WEEKLY\nSUMMARY:"+strings.Repeat("x", 64<<10)+"\n"+
		strings.Repeat("ATTENDEE:mailto:someone@example.org\n", 5_000)))
	var party strings.Builder
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&party, "ATTENDEE;CN=Guest %d:mailto:guest%d@example.org\n", i, i)
	}
	w.put("party.ics", hostile("party", "RRULE:FREQ=WEEKLY\n"+party.String()))
	w.sync()

	// The window is 90 days: at most MaxPerDay a day of it, per series.
	limit := calendars.MaxPerDay * 91
	rows := map[string]int{}
	r, err := w.db.Query(`SELECT s.uid, s.one_on_one, s.why, length(s.summary) + length(s.participants) + length(s.people),
		(SELECT count(*) FROM occurrences o WHERE o.series_id = s.id) FROM series s`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	why := map[string]string{}
	for r.Next() {
		var uid, reason string
		var one bool
		var text, n int
		if err := r.Scan(&uid, &one, &reason, &text, &n); err != nil {
			t.Fatal(err)
		}
		rows[uid], why[uid] = n, reason
		// A title of at most 1 KiB, and ten people at most for a series
		// that is not a 1:1.
		if n > limit || text > calendars.MaxTextBytes+2000 || len(reason) > 200 {
			t.Errorf("series %s: %d occurrence rows (limit %d), summary and people %d bytes, why %d bytes", uid, n, limit, text, len(reason))
		}
	}
	if rows["a"] != 12 {
		t.Errorf("the normal 1:1 has %d occurrences in the window, want its 12 Tuesdays", rows["a"])
	}
	for uid, fragment := range map[string]string{
		"secondly": "not a 1:1: repeats every second (FREQ=SECONDLY)",
		"million":  "not a 1:1: repeats every second",
		"hourly":   "not a 1:1: repeats up to 24 times a day",
		"crowd":    "not a 1:1: 5001 attendees, more than the 500 read",
		"rdates":   "2 people",
		"party":    "402 people: ada@example.com, guest0@example.org, guest100@example.org, guest101@example.org, guest102@example.org, and 397 more",
	} {
		if !strings.Contains(why[uid], fragment) {
			t.Errorf("series %s: why %q, want …%q…", uid, why[uid], fragment)
		}
	}
	if rows["rdates"] == 0 || rows["rdates"] > limit {
		t.Errorf("the 1:1 with 5000 RDATEs has %d occurrence rows, want some and at most %d", rows["rdates"], limit)
	}

	// A later change to the normal 1:1 is still seen.
	_, last := w.history(0)
	w.put("a.ics", event{uid: "a", extra: "EXDATE;TZID=Europe/Berlin:20261201T100000\r\n"}.ics())
	w.sync()
	h, _ := w.history(last)
	want(t, h, "cancelled 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→")
}

// stubFeed hands the engine one fixed delta.
type stubFeed struct{ d calendars.Delta }

func (f stubFeed) Changes(context.Context, string) (calendars.Delta, string, error) {
	return f.d, "cursor", nil
}

// TestObjectOverTheSizeLimitIsNotRead: an object over MaxObjectBytes, as
// any provider may hand it over, is neither stored nor read; the sync log
// names it and the limit, as it names those the provider could not hand
// over at all, and the other objects of the delta are synced.
func TestObjectOverTheSizeLimitIsNotRead(t *testing.T) {
	d := dbtest.OpenEnv(t, sync.Schema)
	var logs bytes.Buffer
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	e := &sync.Engine{DB: d, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	huge := hostile("huge", "RRULE:FREQ=WEEKLY\nDESCRIPTION:"+strings.Repeat("y", calendars.MaxObjectBytes)+"\n")
	cal := sync.Calendar{Name: "ada", Kind: "caldav", Rules: calendars.DefaultRules(), Feed: stubFeed{calendars.Delta{Updated: []calendars.Object{
		{Href: "/ada/huge.ics", ETag: `"1"`, Data: []byte(huge)},
		{Href: "/ada/a.ics", ETag: `"2"`, Data: []byte(event{uid: "a"}.ics())},
	}, Skipped: []string{"/ada/bigger.ics: larger than 268435456 bytes (the limit of one response); not read"}}}}
	if s := e.SyncOne(context.Background(), cal, []sync.Calendar{cal}); s.Err != nil {
		t.Fatalf("sync: %v", s.Err)
	}
	var objects, series int
	if err := d.QueryRow(`SELECT count(*) FROM calendar_objects`).Scan(&objects); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRow(`SELECT count(*) FROM series WHERE uid = 'a' AND one_on_one = TRUE`).Scan(&series); err != nil {
		t.Fatal(err)
	}
	if objects != 1 || series != 1 {
		t.Errorf("%d objects stored, %d 1:1 series; want only the normal one of each", objects, series)
	}
	if want := fmt.Sprintf("/ada/huge.ics: %d bytes, over the limit of %d for one calendar object; skipped", len(huge), calendars.MaxObjectBytes); !strings.Contains(logs.String(), want) {
		t.Errorf("the sync log does not say %q:\n%s", want, logs.String())
	}
	if !strings.Contains(logs.String(), "/ada/bigger.ics: larger than 268435456 bytes") {
		t.Errorf("the sync log does not name the object the provider skipped:\n%s", logs.String())
	}
}
