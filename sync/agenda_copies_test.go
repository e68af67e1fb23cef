package sync_test

import (
	"context"
	"errors"
	"slices"
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

// copiesWorld is Radicale with Ada's and Grace's own calendars, each
// holding their copy of the same weekly 1:1 (as on a server without
// scheduling, or with it and the agenda writes asking for none).
type copiesWorld struct {
	*world
	srv     *caldavtest.Server
	cols    map[string]string
	clients map[string]*caldav.Client
	writers sync.AgendaWriters
}

const copiesUID, copiesKey = "shared", "2026-12-08T09:00:00Z"

func newCopiesWorld(t *testing.T, watched ...string) *copiesWorld {
	w := &copiesWorld{world: newWorld(t), cols: map[string]string{}, clients: map[string]*caldav.Client{}}
	w.world.srv.Stop()
	w.srv = caldavtest.StartRadicale(t, caldavtest.User{Name: "ada", Password: "pw"}, caldavtest.User{Name: "grace", Password: "pw"})
	var cals []sync.Calendar
	for _, user := range []string{"ada", "grace"} {
		w.cols[user] = w.srv.MakeCalendar(t, user, "work")
		w.srv.Put(t, user, w.cols[user]+"a.ics", []byte(event{uid: copiesUID}.ics()))
		w.clients[user] = mustClient(t, w.cols[user], user, "pw")
		if slices.Contains(watched, user) {
			cals = append(cals, sync.Calendar{Name: user, Kind: "caldav", Owner: user + "@example.com", Rules: calendars.DefaultRules(),
				Feed: caldav.Feed{Client: w.clients[user], Collection: w.cols[user]}})
		}
	}
	for _, s := range w.engine.SyncAll(context.Background(), cals) {
		if s.Err != nil {
			t.Fatal(s.Err)
		}
	}
	caldavWriter := &sync.AgendaWriter{DB: w.db, Now: func() time.Time { return w.now }, Writer: func(name string) (sync.OccurrenceWriter, error) {
		return caldav.Writer{Objects: w.clients[name]}, nil
	}}
	w.writers = sync.AgendaWriters{DB: w.db, ByKind: map[string]sync.CopyWriter{"caldav": caldavWriter}}
	return w
}

func (w *copiesWorld) write(block string) ([]string, error) {
	m := prep.Meeting{SeriesUID: copiesUID, RecurrenceID: copiesKey, End: w.now.Add(30 * 24 * time.Hour), Organizer: "ada@example.com",
		People: [2]prep.Person{{Email: "ada@example.com"}, {Email: "grace@example.com"}}}
	return w.writers.WriteAgenda(context.Background(), m, block)
}

// block returns the agenda block in user's copy of the occurrence.
func (w *copiesWorld) block(user string) (string, bool) {
	obj, err := w.clients[user].Get(context.Background(), w.cols[user]+"a.ics")
	if err != nil {
		w.t.Fatal(err)
	}
	return calendars.AgendaBlock(occurrenceDescription(w.t, obj.Data, copiesKey))
}

// TestAgendaIntoEveryWatchedCopy: with both calendars watched, the
// agenda is written into both copies, and both people are reached (no
// mail for either).
func TestAgendaIntoEveryWatchedCopy(t *testing.T) {
	w := newCopiesWorld(t, "ada", "grace")
	reached, err := w.write("topics")
	if err != nil || !slices.Equal(reached, []string{"ada@example.com", "grace@example.com"}) {
		t.Fatalf("reached %v, %v", reached, err)
	}
	for _, user := range []string{"ada", "grace"} {
		if body, ok := w.block(user); !ok || body != "topics" {
			t.Errorf("%s's copy: %q, %v", user, body, ok)
		}
	}
	for i, r := range w.routes() {
		if user := []string{"ada", "grace"}[i]; r.Email != user+"@example.com" || r.Via != "calendar" || !slices.Equal(r.Calendars, []string{user}) {
			t.Errorf("series says %+v", r)
		}
	}
}

// TestAgendaOnlyTheWatchedCopy: only Grace (the attendee) is watched.
// Her copy gets the agenda and she is reached; Ada's copy, which
// oneonone cannot see, is untouched and Ada is not reached (prep mails
// her).
func TestAgendaOnlyTheWatchedCopy(t *testing.T) {
	w := newCopiesWorld(t, "grace")
	reached, err := w.write("topics")
	if err != nil || !slices.Equal(reached, []string{"grace@example.com"}) {
		t.Fatalf("reached %v, %v", reached, err)
	}
	if body, ok := w.block("grace"); !ok || body != "topics" {
		t.Errorf("grace's copy: %q, %v", body, ok)
	}
	if _, ok := w.block("ada"); ok {
		t.Error("ada's unwatched copy was written")
	}
	routes := w.routes()
	if len(routes) != 2 || routes[0].Via != "mail" || !strings.Contains(routes[0].Why, "no watched calendar of theirs") ||
		routes[1].Via != "calendar" || !slices.Equal(routes[1].Calendars, []string{"grace"}) {
		t.Errorf("series says %+v", routes)
	}
}

// routes returns what `oneonone series` says of the agenda of the 1:1.
func (w *copiesWorld) routes() []sync.AgendaRoute {
	w.t.Helper()
	list, err := sync.ListSeries(context.Background(), w.db, w.now)
	if err != nil || len(list) != 1 {
		w.t.Fatalf("series %+v, %v", list, err)
	}
	return list[0].Agenda
}

// TestAgendaCopyRefused: Grace's copy cannot be written (the account
// only reads it): Ada is reached through hers, Grace is not, and that is
// no error.
func TestAgendaCopyRefused(t *testing.T) {
	w := newCopiesWorld(t, "ada", "grace")
	ada := w.clients["ada"]
	w.writers.ByKind["caldav"] = &sync.AgendaWriter{DB: w.db, Now: func() time.Time { return w.now }, Writer: func(name string) (sync.OccurrenceWriter, error) {
		if name == "grace" {
			return caldav.Writer{Objects: readOnly{w.clients["grace"], ada}}, nil
		}
		return caldav.Writer{Objects: ada}, nil
	}}
	reached, err := w.write("topics")
	if err != nil || !slices.Equal(reached, []string{"ada@example.com"}) {
		t.Fatalf("reached %v, %v", reached, err)
	}
}

// fakeCopies records the copies written and refuses those in refuse.
type fakeCopies struct {
	refuse  map[string]error
	written []string
}

func (f *fakeCopies) WriteCopy(_ context.Context, c sync.Copy, _ prep.Meeting, _ string) error {
	f.written = append(f.written, c.Calendar)
	return f.refuse[c.Calendar]
}

// TestAgendaWritersReach: which copies are written and whom they reach,
// for copies stored as a sync leaves them.
func TestAgendaWritersReach(t *testing.T) {
	type cal struct{ name, kind, owner string }
	cases := []struct {
		name        string
		cals        []cal
		refuse      map[string]error
		wantWritten []string
		wantReached []string
		wantErr     bool
	}{
		{"the organizer's Google copy reaches both; the guest's is skipped",
			[]cal{{"g-grace", "google", "grace@example.com"}, {"g-ada", "google", "ada@example.com"}}, nil,
			[]string{"g-ada"}, []string{"ada@example.com", "grace@example.com"}, false},
		{"a Google guest's copy that Google refuses reaches nobody",
			[]cal{{"g-grace", "google", "grace@example.com"}}, map[string]error{"g-grace": prep.ErrNotWritable},
			[]string{"g-grace"}, nil, false},
		{"a CalDAV copy whose owner is unknown is written but reaches nobody known",
			[]cal{{"shared", "caldav", ""}}, nil, []string{"shared"}, nil, false},
		{"a failing copy is an error; the other still reaches its owner",
			[]cal{{"ada", "caldav", "ada@example.com"}, {"grace", "caldav", "Grace@Example.com"}}, map[string]error{"ada": errors.New("503")},
			[]string{"ada", "grace"}, []string{"grace@example.com"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := dbtest.OpenEnv(t, sync.Schema)
			for i, k := range c.cals {
				d.Exec(`INSERT INTO calendars (id, name, kind, owner) VALUES (?, ?, ?, ?)`, i+1, k.name, k.kind, k.owner)
				d.Exec(`INSERT INTO calendar_objects (calendar_id, href, etag, uid, data) VALUES (?, 'm', 'e', 'u', '')`, i+1)
			}
			f := &fakeCopies{refuse: c.refuse}
			ws := sync.AgendaWriters{DB: d, ByKind: map[string]sync.CopyWriter{"caldav": f, "google": f}}
			m := prep.Meeting{SeriesUID: "u", Organizer: "ada@example.com", People: [2]prep.Person{{Email: "ada@example.com"}, {Email: "grace@example.com"}}}
			reached, err := ws.WriteAgenda(context.Background(), m, "x")
			if !slices.Equal(f.written, c.wantWritten) || !slices.Equal(reached, c.wantReached) || (err != nil) != c.wantErr {
				t.Errorf("written %v, reached %v, err %v", f.written, reached, err)
			}
		})
	}
}
