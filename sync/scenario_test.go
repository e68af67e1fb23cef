package sync_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// world is a Radicale server with one calendar, a database and an engine
// whose clock the test moves.
type world struct {
	t      *testing.T
	srv    *caldavtest.Server
	col    string
	db     *sql.DB
	now    time.Time
	engine *sync.Engine
	cal    sync.Calendar
}

// startPeer starts the CalDAV server the scenarios run against: Radicale,
// or Xandikos for the second opinion.
var startPeer = func(t testing.TB) *caldavtest.Server { return caldavtest.StartRadicale(t) }

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := startPeer(t)
	w := &world{t: t, srv: srv, now: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)}
	w.col = srv.MakeCalendar(t, "test", "work")
	d := dbtest.OpenEnv(t, sync.Schema)
	w.db = d
	w.engine = &sync.Engine{DB: d, Now: func() time.Time { return w.now }}
	w.cal = w.calendar("ada", "test", "testpass")
	return w
}

func (w *world) calendar(name, user, pass string) sync.Calendar {
	c, err := caldav.New(w.col, caldav.Options{Username: user, Password: pass})
	if err != nil {
		w.t.Fatal(err)
	}
	return sync.Calendar{Name: name, Kind: "caldav", Source: w.col, Owner: "ada@example.com",
		Feed: caldav.Feed{Client: c, Collection: w.col}, Rules: calendars.DefaultRules()}
}

func (w *world) put(name, ics string) { w.srv.Put(w.t, "test", w.col+name, []byte(ics)) }

func (w *world) sync() sync.Summary {
	w.t.Helper()
	s := w.engine.SyncOne(context.Background(), w.cal, []sync.Calendar{w.cal})
	if s.Err != nil {
		w.t.Fatalf("sync: %v", s.Err)
	}
	return s
}

// history returns "kind key from→to" lines recorded since id after.
func (w *world) history(after int) ([]string, int) {
	w.t.Helper()
	rows, err := w.db.Query(`SELECT id, kind, recurrence_id, COALESCE(from_time, ''), COALESCE(to_time, ''), detail FROM history WHERE id > ? ORDER BY id`, after)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	last := after
	for rows.Next() {
		var id int
		var kind, key, from, to, detail string
		if err := rows.Scan(&id, &kind, &key, &from, &to, &detail); err != nil {
			w.t.Fatal(err)
		}
		last = id
		line := strings.TrimSpace(kind + " " + key)
		if from != "" || to != "" {
			line += " " + from + "→" + to
		}
		out = append(out, line)
	}
	return out, last
}

type event struct {
	uid, start, rrule, extra string
	attendees                []string
	overrides                []string
	tz, organizer            string // default Europe/Berlin, ada
	seq                      int    // SEQUENCE, as calendar apps raise it on each edit
}

const weeklyStart = "20261103T100000" // Tuesdays 10:00 Berlin

func (e event) ics() string {
	if e.start == "" {
		e.start = weeklyStart
	}
	if e.rrule == "" {
		e.rrule = "FREQ=WEEKLY"
	}
	if e.attendees == nil {
		e.attendees = []string{"ada@example.com", "grace@example.com"}
	}
	if e.tz == "" {
		e.tz = "Europe/Berlin"
	}
	if e.organizer == "" {
		e.organizer = "ada@example.com"
	}
	end, err := time.Parse("20060102T150405", e.start)
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone test//EN\r\n")
	fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20261101T000000Z\r\nSEQUENCE:%d\r\nDTSTART;TZID=%s:%s\r\nDTEND;TZID=%s:%s\r\n",
		e.uid, e.seq, e.tz, e.start, e.tz, end.Add(30*time.Minute).Format("20060102T150405"))
	fmt.Fprintf(&b, "RRULE:%s\r\nSUMMARY:Ada / Grace\r\nORGANIZER:mailto:%s\r\n%s", e.rrule, e.organizer, e.extra)
	for _, a := range e.attendees {
		fmt.Fprintf(&b, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:%s\r\n", a)
	}
	b.WriteString("END:VEVENT\r\n")
	for _, o := range e.overrides {
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Ada / Grace\r\nORGANIZER:mailto:ada@example.com\r\n%sEND:VEVENT\r\n", e.uid, o)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

func want(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n  got  %q\n  want %q", got, want)
	}
}
