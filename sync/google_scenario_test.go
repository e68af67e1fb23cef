package sync_test

// The CalDAV scenarios of scenario_cases_test.go, run through the engine
// against the fake Google Calendar. Where the CalDAV suite asserts exact
// history lines these assert the same lines, so a difference in behaviour
// between the providers fails here.

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	gcal "google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/google/googletest"
	googlestore "github.com/oneonone/oneonone/calendars/google/store"
	"github.com/oneonone/oneonone/calendars/testkit"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

const (
	gAda   = "ada@example.com"
	gGrace = "grace@example.com"
)

var berlin, _ = time.LoadLocation("Europe/Berlin")

// gworld is the fake Google server with ada's and grace's calendars, a
// database and an engine; one clock, which the test moves, drives both.
type gworld struct {
	t      *testing.T
	srv    *googletest.Server
	db     *sql.DB
	clock  *testkit.Clock
	engine *sync.Engine
	cal    sync.Calendar // ada's primary calendar, through the service account
}

func newGoogleWorld(t *testing.T) *gworld {
	t.Helper()
	srv := googletest.New()
	t.Cleanup(srv.Close)
	w := &gworld{t: t, srv: srv, clock: testkit.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))}
	srv.Now = w.clock.Now
	srv.AddCalendar(gAda, gAda)
	srv.AddCalendar(gGrace, gGrace)
	w.db, w.engine = openEngine(t, w.clock.Now)
	c, err := google.NewServiceAccount(t.Context(), srv.ServiceAccountKey(), gAda, w.options())
	if err != nil {
		t.Fatal(err)
	}
	w.cal = w.calendar("ada", gAda, c)
	return w
}

func openEngine(t *testing.T, now func() time.Time) (*sql.DB, *sync.Engine) {
	d := dbtest.OpenEnv(t, sync.Schema, googleSchema)
	return d, &sync.Engine{DB: d, Now: now}
}

func (w *gworld) options() google.Options {
	return google.Options{Endpoint: w.srv.URL, Now: w.clock.Now, ConnectURL: "https://1on1.example.com/connect/google",
		Budget: google.NewBudget(google.ProjectPerMinute, google.UserPerMinute, w.clock.Now, nil)}
}

func (w *gworld) calendar(name, owner string, c *google.Client) sync.Calendar {
	return sync.Calendar{Name: name, Kind: "google", Source: owner, Owner: owner,
		Feed: google.Feed{Client: c, CalendarID: "primary"}, Rules: calendars.DefaultRules()}
}

func (w *gworld) sync() sync.Summary {
	w.t.Helper()
	s := w.engine.SyncOne(context.Background(), w.cal, []sync.Calendar{w.cal})
	if s.Err != nil {
		w.t.Fatalf("sync: %v", s.Err)
	}
	return s
}

func (w *gworld) history(after int) ([]string, int) {
	return (&world{t: w.t, db: w.db}).history(after)
}

// weekly adds ada's weekly 1:1 with grace, Tuesdays 10:00 Berlin from
// 3 November, as event{}.ics() does for CalDAV.
func (w *gworld) weekly(guests ...string) string {
	if guests == nil {
		guests = []string{gGrace}
	}
	id, _ := w.srv.AddRecurring(gAda, googletest.Recurring{Summary: "Ada / Grace", Start: tuesday(3, 11), TZ: "Europe/Berlin",
		RRule: "FREQ=WEEKLY", Organizer: gAda, Attendees: guests})
	return id
}

func tuesday(day int, month time.Month) time.Time {
	return time.Date(2026, month, day, 10, 0, 0, 0, berlin)
}

// patch changes an event as its organizer does in Google Calendar, for
// edits the scenario API has no verb for.
func (w *gworld) patch(id string, ev *gcal.Event) {
	w.t.Helper()
	svc, err := gcal.NewService(w.t.Context(), option.WithEndpoint(w.srv.Endpoint()), option.WithHTTPClient(w.srv.HTTPClient(gAda)))
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := svc.Events.Patch(gAda, id, ev).Do(); err != nil {
		w.t.Fatal(err)
	}
}

func attendees(emails ...string) []*gcal.EventAttendee {
	var out []*gcal.EventAttendee
	for _, e := range emails {
		out = append(out, &gcal.EventAttendee{Email: e, ResponseStatus: "accepted"})
	}
	return out
}

func TestGoogleInitialAndIdleSync(t *testing.T) {
	w := newGoogleWorld(t)
	w.weekly()
	w.weekly(gGrace, "linus@example.com")
	if s := w.sync(); s.Changes != 2 || !s.Resynced {
		t.Errorf("first sync saw %d changes (resynced %v), want 2", s.Changes, s.Resynced)
	}
	h, last := w.history(0)
	want(t, h, "created")
	var n int
	w.db.QueryRow(`SELECT count(*) FROM occurrences`).Scan(&n)
	if n != 12 {
		t.Errorf("%d occurrences stored, want 12", n)
	}
	w.srv.ResetRequestLog()
	idle := w.sync()
	if idle.Requests != 1 || idle.Changes != 0 || idle.Events != 0 || w.srv.RequestCount() != 1 {
		t.Errorf("idle sync: %d requests (%d seen by Google), %d changes, %d events; want 1, 0, 0",
			idle.Requests, w.srv.RequestCount(), idle.Changes, idle.Events)
	}
	if h, _ := w.history(last); len(h) != 0 {
		t.Errorf("idle sync recorded %v", h)
	}
}

func TestGoogleMovedAndMovedBack(t *testing.T) {
	w := newGoogleWorld(t)
	id := w.weekly()
	w.sync()
	_, last := w.history(0)
	w.srv.MoveOccurrence(gAda, id, tuesday(1, 12), time.Date(2026, 12, 2, 15, 0, 0, 0, berlin))
	w.sync()
	h, last := w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→2026-12-02T15:00:00+01:00")
	w.srv.MoveOccurrence(gAda, id, tuesday(1, 12), tuesday(1, 12))
	w.sync()
	h, _ = w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-02T15:00:00+01:00→2026-12-01T10:00:00+01:00")
	var notice float64
	w.db.QueryRow(`SELECT notice_hours FROM history WHERE kind = 'moved' ORDER BY id LIMIT 1`).Scan(&notice)
	if notice != 193 {
		t.Errorf("notice %v hours, want 193", notice)
	}
}

func TestGoogleCancelledByExdateAndByInstanceThenRestored(t *testing.T) {
	w := newGoogleWorld(t)
	id := w.weekly()
	w.sync()
	_, last := w.history(0)
	w.patch(id, &gcal.Event{Recurrence: []string{"RRULE:FREQ=WEEKLY", "EXDATE;TZID=Europe/Berlin:20261201T100000"}})
	w.srv.CancelOccurrence(gAda, id, tuesday(8, 12)) // listed in its sparse form
	w.sync()
	h, last := w.history(last)
	want(t, h, "cancelled 2026-12-08T09:00:00Z 2026-12-08T10:00:00+01:00→", "cancelled 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→")
	w.patch(id, &gcal.Event{Recurrence: []string{"RRULE:FREQ=WEEKLY"}})
	w.srv.MoveOccurrence(gAda, id, tuesday(8, 12), tuesday(8, 12)) // "restore" in the web UI
	w.sync()
	h, _ = w.history(last)
	if len(h) != 2 || h[0][:8] != "restored" || h[1][:8] != "restored" {
		t.Errorf("after undoing both cancellations: %q, want two restored", h)
	}
}

func TestGoogleDeclineAndThreePeopleAndBack(t *testing.T) {
	w := newGoogleWorld(t)
	id := w.weekly()
	w.sync()
	_, last := w.history(0)
	w.srv.SetAttendeeResponse(gAda, google.InstanceID(id, tuesday(15, 12), false), gGrace, "declined")
	w.sync()
	h, last := w.history(last)
	want(t, h, "declined 2026-12-15T09:00:00Z 2026-12-15T10:00:00+01:00→")
	w.patch(id, &gcal.Event{Attendees: attendees(gAda, gGrace, "linus@example.com")})
	w.sync()
	h, last = w.history(last)
	want(t, h, "participant_changed")
	w.patch(id, &gcal.Event{Attendees: attendees(gAda, gGrace)})
	w.sync()
	h, _ = w.history(last)
	if len(h) == 0 || h[0] != "participant_changed" {
		t.Errorf("back to a 1:1: %q, want participant_changed first", h)
	}
}

func TestGoogleDeletedSeriesAndHeld(t *testing.T) {
	w := newGoogleWorld(t)
	id := w.weekly()
	w.sync()
	_, last := w.history(0)
	w.clock.Set(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)) // the access token expired meanwhile
	w.srv.DeleteEvent(gAda, id)
	w.sync()
	h, _ := w.history(last)
	if len(h) < 3 || h[0] != "series_ended" {
		t.Fatalf("after deleting the series: %q", h)
	}
	var cancelled, held int
	w.db.QueryRow(`SELECT count(*) FROM history WHERE kind = 'cancelled'`).Scan(&cancelled)
	w.db.QueryRow(`SELECT count(*) FROM history WHERE kind = 'held' AND recurrence_id = '2026-11-24T09:00:00Z'`).Scan(&held)
	if cancelled != 8 || held != 1 {
		t.Errorf("%d cancelled (want the 8 future ones), %d held for 24 Nov (want 1)", cancelled, held)
	}
}

func TestGoogleThisAndFollowingSplitContinuesThePair(t *testing.T) {
	w := newGoogleWorld(t)
	id := w.weekly()
	w.sync()
	_, last := w.history(0)
	w.srv.SplitSeries(gAda, id, tuesday(8, 12), func(r *googletest.Recurring) {
		r.Start = time.Date(2026, 12, 9, 10, 0, 0, 0, berlin) // and from now on on Wednesdays
	})
	w.sync()
	h, _ := w.history(last)
	want(t, h, "created")
	var detail string
	w.db.QueryRow(`SELECT detail FROM history WHERE kind = 'created' ORDER BY id DESC LIMIT 1`).Scan(&detail)
	if !strings.HasPrefix(detail, "continues") {
		t.Errorf("the new series' created event says %q, want it to continue series %s", detail, id)
	}
}

func TestGoogleExpiredSyncTokenLosesAndRepeatsNothing(t *testing.T) {
	w := newGoogleWorld(t)
	id := w.weekly()
	w.sync()
	_, last := w.history(0)
	w.srv.MoveOccurrence(gAda, id, tuesday(1, 12), time.Date(2026, 12, 2, 15, 0, 0, 0, berlin))
	w.srv.ExpireSyncTokens()
	if s := w.sync(); !s.Resynced || s.Requests != 2 {
		t.Errorf("after 410: resynced %v in %d requests; want a full listing after the 410", s.Resynced, s.Requests)
	}
	h, last := w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→2026-12-02T15:00:00+01:00")
	w.srv.ExpireSyncTokens()
	if s := w.sync(); !s.Resynced || s.Events != 0 {
		t.Errorf("second resync: %+v", s)
	}
	if h, _ := w.history(last); len(h) != 0 {
		t.Errorf("a resync repeated history: %q", h)
	}
	var n int
	w.db.QueryRow(`SELECT count(*) FROM occurrences`).Scan(&n)
	if n != 12 {
		t.Errorf("%d occurrences after resyncs, want 12", n)
	}
}

// connectGrace stores a grant for grace and returns her calendar.
func (w *gworld) connectGrace(rt string) (sync.Calendar, *googlestore.TokenStore) {
	w.t.Helper()
	store, err := googlestore.NewTokenStore(w.db, []byte(strings.Repeat("s", googlestore.KeySize)), w.clock.Now)
	if err != nil {
		w.t.Fatal(err)
	}
	w.srv.AddRefreshToken(rt, gGrace)
	if err := store.Save(w.t.Context(), gGrace, rt); err != nil {
		w.t.Fatal(err)
	}
	c, err := google.NewUser(w.t.Context(), google.OAuthApp{TokenURL: w.srv.TokenURL()}, store, gGrace, w.options())
	if err != nil {
		w.t.Fatal(err)
	}
	return w.calendar("grace", gGrace, c), store
}

func TestGoogleRevokedGrantMarksOnlyThatCalendar(t *testing.T) {
	w := newGoogleWorld(t)
	w.weekly()
	grace, _ := w.connectGrace("rt-grace")
	all := []sync.Calendar{grace, w.cal}
	if sums := w.engine.SyncAll(t.Context(), all); sums[0].Err != nil || sums[1].Err != nil {
		t.Fatalf("first sync: %+v", sums)
	}
	if h, _ := w.history(0); len(h) != 1 {
		t.Errorf("one meeting in two calendars: %q, want one created", h)
	}
	w.srv.RevokeRefreshToken("rt-grace")
	for range 3 { // three polls: one token request each, never a loop
		w.srv.ResetRequestLog()
		sums := w.engine.SyncAll(t.Context(), all)
		if !errors.Is(sums[0].Err, google.ErrReconnect) || sums[1].Err != nil {
			t.Fatalf("after revoking: %+v", sums)
		}
		if n := len(w.srv.Requests("token")); n != 1 {
			t.Errorf("%d token requests in one poll", n)
		}
	}
	var healthy bool
	var lastErr string
	w.db.QueryRow(`SELECT healthy, last_error FROM calendars WHERE name = 'grace'`).Scan(&healthy, &lastErr)
	if healthy || !strings.Contains(lastErr, "oneonone connect google") || !strings.Contains(lastErr, "/connect/google") {
		t.Errorf("grace: healthy=%v last_error=%q", healthy, lastErr)
	}
}

func TestGoogleRefreshedGrantIsPersisted(t *testing.T) {
	w := newGoogleWorld(t)
	w.weekly()
	w.srv.SetRefreshTokenRotation(true)
	grace, store := w.connectGrace("rt-1")
	if s := w.engine.SyncOne(t.Context(), grace, []sync.Calendar{grace}); s.Err != nil {
		t.Fatal(s.Err)
	}
	rt, err := store.Load(t.Context(), gGrace)
	if err != nil || rt == "rt-1" {
		t.Fatalf("after the refresh the store holds %q (%v)", rt, err)
	}
	// A restarted daemon reads the new grant; the old one is dead.
	c, _ := google.NewUser(t.Context(), google.OAuthApp{TokenURL: w.srv.TokenURL()}, store, gGrace, w.options())
	again := w.calendar("grace", gGrace, c)
	if s := w.engine.SyncOne(t.Context(), again, []sync.Calendar{again}); s.Err != nil {
		t.Errorf("after a restart: %v", s.Err)
	}
}
