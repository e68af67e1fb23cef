package sync_test

// The CalDAV and Google scenarios run through the engine against the fake
// Microsoft Graph (graphtest): the same edits, the same history lines, so
// a difference in behaviour between the providers fails here.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/microsoft365"
	"github.com/oneonone/oneonone/calendars/microsoft365/graphtest"
	"github.com/oneonone/oneonone/calendars/testkit"
	"github.com/oneonone/oneonone/sync"
)

const (
	mTenant = "contoso.onmicrosoft.com"
	mApp    = "0e5f2a4b-1111-2222-3333-444455556666"
	mSecret = "app~secret"
	mAda    = "ada@contoso.com"
	mGrace  = "grace@contoso.com"
	mLinus  = "linus@contoso.com"
	mRoom   = "room-1@contoso.com"
)

// mworld is the fake Graph with Ada's, Grace's and Linus's mailboxes, a
// database and an engine; one clock, which the test moves, drives both.
type mworld struct {
	t      *testing.T
	srv    *graphtest.Server
	db     *sql.DB
	clock  *testkit.Clock
	engine *sync.Engine
	cal    sync.Calendar // Ada's mailbox
	mu     gosync.Mutex
	waits  []time.Duration // the retries' waits
}

func newM365World(t *testing.T) *mworld {
	t.Helper()
	srv := graphtest.New()
	t.Cleanup(srv.Close)
	w := &mworld{t: t, srv: srv, clock: testkit.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))}
	srv.Now = w.clock.Now
	srv.AddTenant(mTenant)
	srv.AddApp(mTenant, mApp, mSecret, graphtest.CalendarsReadWrite)
	for _, a := range []string{mAda, mGrace, mLinus} {
		srv.AddMailbox(mTenant, a, strings.ToUpper(a[:1])+a[1:strings.Index(a, "@")])
	}
	w.db, w.engine = openEngine(t, w.clock.Now)
	w.cal = w.calendar("ada", mAda)
	return w
}

func (w *mworld) client(user string) *microsoft365.Client {
	w.t.Helper()
	c, err := microsoft365.New(microsoft365.Config{User: user, Tenant: mTenant, ClientID: mApp, ClientSecret: mSecret,
		Endpoint: w.srv.GraphEndpoint(), LoginEndpoint: w.srv.LoginEndpoint()},
		microsoft365.Options{Now: w.clock.Now, Budget: microsoft365.NewBudget(microsoft365.AppPerMinute, microsoft365.MailboxPerMinute, w.clock.Now, nil),
			Sleep: func(ctx context.Context, d time.Duration) error {
				w.mu.Lock()
				w.waits = append(w.waits, d)
				w.mu.Unlock()
				return ctx.Err()
			}})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *mworld) calendar(name, user string) sync.Calendar {
	c := w.client(user)
	return sync.Calendar{Name: name, Kind: "microsoft365", Source: user, Owner: user, Rules: calendars.DefaultRules(),
		Feed:   microsoft365.Feed{Client: c, Past: sync.DefaultWindow.Past, Ahead: sync.DefaultWindow.Ahead, Now: w.clock.Now},
		Writer: microsoft365.Writer{Client: c}, Sharing: microsoft365.Sharing}
}

// kinds is how each kind of calendar in these tests shares its copies.
func kinds(kind string) calendars.Sharing {
	if kind == "microsoft365" {
		return microsoft365.Sharing
	}
	return calendars.OwnCopies
}

func (w *mworld) sync() sync.Summary {
	w.t.Helper()
	s := w.engine.SyncOne(context.Background(), w.cal, []sync.Calendar{w.cal})
	if s.Err != nil {
		w.t.Fatalf("sync: %v", s.Err)
	}
	return s
}

func (w *mworld) history(after int) ([]string, int) {
	return (&world{t: w.t, db: w.db}).history(after)
}

// weekly adds Ada's weekly meeting, Tuesdays 10:00 Berlin from 3 November
// (scheduled in the Windows zone Outlook names), with Grace or others.
func (w *mworld) weekly(subject string, rooms []string, guests ...string) string {
	if guests == nil {
		guests = []string{mGrace}
	}
	return w.srv.CreateMeeting(graphtest.Meeting{Organizer: mAda, Attendees: guests, Rooms: rooms, Subject: subject,
		Body: "<p>Agenda ideas welcome</p>", Start: tuesday(3, 11), Duration: 30 * time.Minute,
		TimeZone: "W. Europe Standard Time", Recurrence: &graphtest.Recurrence{Pattern: "weekly", Interval: 1}})
}

func (w *mworld) count(query string) int {
	var n int
	if err := w.db.QueryRow(query).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// TestM365DetectionAndIdleSync: a 1:1 with a room is tracked; a meeting
// of three and one marked #no1on1 are not; the next poll with nothing
// new is one request.
func TestM365DetectionAndIdleSync(t *testing.T) {
	w := newM365World(t)
	w.weekly("Ada / Grace", []string{mRoom})
	w.weekly("Team", nil, mGrace, mLinus)
	w.weekly("Ada / Grace #no1on1", nil)
	if s := w.sync(); !s.Resynced {
		t.Errorf("first sync: %+v", s)
	}
	h, last := w.history(0)
	want(t, h, "created")
	if n := w.count(`SELECT count(*) FROM occurrences`); n != 12 {
		t.Errorf("%d occurrences stored, want 12", n)
	}
	before := w.srv.GraphRequests()
	idle := w.sync()
	if idle.Requests != 1 || idle.Changes != 0 || idle.Events != 0 || w.srv.GraphRequests() != before+1 {
		t.Errorf("idle sync: %d requests (%d seen by Graph), %d changes, %d events; want 1, 0, 0",
			idle.Requests, w.srv.GraphRequests()-before, idle.Changes, idle.Events)
	}
	if h, _ := w.history(last); len(h) != 0 {
		t.Errorf("idle sync recorded %v", h)
	}
}

func TestM365MovedAndMovedBack(t *testing.T) {
	w := newM365World(t)
	uid := w.weekly("Ada / Grace", nil)
	w.sync()
	_, last := w.history(0)
	w.srv.MoveOccurrence(uid, tuesday(1, 12), time.Date(2026, 12, 2, 15, 0, 0, 0, berlin))
	w.sync()
	h, last := w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→2026-12-02T15:00:00+01:00")
	w.srv.MoveOccurrence(uid, tuesday(1, 12), tuesday(1, 12))
	w.sync()
	h, _ = w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-02T15:00:00+01:00→2026-12-01T10:00:00+01:00")
}

// TestM365CancelledOccurrence: the organizer cancels one occurrence; it
// leaves Ada's calendar (an @removed entry) and is recorded cancelled.
func TestM365CancelledOccurrence(t *testing.T) {
	w := newM365World(t)
	uid := w.weekly("Ada / Grace", nil)
	w.sync()
	_, last := w.history(0)
	w.srv.CancelOccurrence(uid, tuesday(8, 12))
	w.sync()
	h, _ := w.history(last)
	want(t, h, "cancelled 2026-12-08T09:00:00Z 2026-12-08T10:00:00+01:00→")
}

// TestM365DeclineSeenInEitherCopy: Grace declines one occurrence; her
// answer reaches Ada's copy; her own copy says it in responseStatus or,
// as Outlook does by default, by dropping the occurrence.
func TestM365DeclineSeenInEitherCopy(t *testing.T) {
	for _, tc := range []struct {
		copy   string
		remove bool
	}{{mAda, false}, {mAda, true}, {mGrace, false}, {mGrace, true}} {
		t.Run(fmt.Sprintf("%s removed=%v", tc.copy, tc.remove), func(t *testing.T) {
			w := newM365World(t)
			w.cal = w.calendar("cal", tc.copy)
			uid := w.weekly("Ada / Grace", nil)
			w.sync()
			_, last := w.history(0)
			w.srv.Respond(mGrace, uid, tuesday(15, 12), graphtest.ResponseDeclined, tc.remove)
			w.sync()
			h, _ := w.history(last)
			want(t, h, "declined 2026-12-15T09:00:00Z 2026-12-15T10:00:00+01:00→")
		})
	}
}

// TestM365CancelledSeenInTheAttendeesCopy: the organizer cancels one
// occurrence; Grace's copy keeps it, marked cancelled.
func TestM365CancelledSeenInTheAttendeesCopy(t *testing.T) {
	w := newM365World(t)
	w.cal = w.calendar("grace", mGrace)
	uid := w.weekly("Ada / Grace", nil)
	w.sync()
	_, last := w.history(0)
	w.srv.CancelOccurrence(uid, tuesday(8, 12))
	w.sync()
	h, _ := w.history(last)
	want(t, h, "cancelled 2026-12-08T09:00:00Z 2026-12-08T10:00:00+01:00→")
}

func TestM365ThisAndFollowingSplitContinuesThePair(t *testing.T) {
	w := newM365World(t)
	uid := w.weekly("Ada / Grace", nil)
	w.sync()
	_, last := w.history(0)
	w.srv.SplitSeries(uid, tuesday(8, 12), time.Date(2026, 12, 9, 10, 0, 0, 0, berlin))
	w.sync()
	h, _ := w.history(last)
	if len(h) == 0 || h[len(h)-1] != "created" {
		t.Fatalf("after the split: %q, want a created series last", h)
	}
	var detail string
	w.db.QueryRow(`SELECT detail FROM history WHERE kind = 'created' ORDER BY id DESC LIMIT 1`).Scan(&detail)
	if !strings.HasPrefix(detail, "continues") {
		t.Errorf("the new series' created event says %q, want it to continue series %s", detail, uid)
	}
}

// TestM365ExpiredDeltaTokenLosesAndRepeatsNothing: 410 syncStateNotFound
// and resyncRequired read the whole window again; the move made meanwhile
// is recorded once, nothing is lost or repeated.
func TestM365ExpiredDeltaTokenLosesAndRepeatsNothing(t *testing.T) {
	w := newM365World(t)
	uid := w.weekly("Ada / Grace", nil)
	w.sync()
	_, last := w.history(0)
	w.srv.MoveOccurrence(uid, tuesday(1, 12), time.Date(2026, 12, 2, 15, 0, 0, 0, berlin))
	w.srv.ExpireDeltaTokens("syncStateNotFound")
	if s := w.sync(); !s.Resynced {
		t.Errorf("after 410: %+v", s)
	}
	h, last := w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→2026-12-02T15:00:00+01:00")
	w.srv.ExpireDeltaTokens("resyncRequired")
	if s := w.sync(); !s.Resynced || s.Events != 0 {
		t.Errorf("second re-read: %+v", s)
	}
	if h, _ := w.history(last); len(h) != 0 {
		t.Errorf("a re-read repeated history: %q", h)
	}
	if n := w.count(`SELECT count(*) FROM occurrences`); n != 12 {
		t.Errorf("%d occurrences after re-reads, want 12", n)
	}
}

// TestM365ThrottledSyncWaitsAndCompletes: 429 with Retry-After on the
// delta and 503 on the master are waited out within one sync.
func TestM365ThrottledSyncWaitsAndCompletes(t *testing.T) {
	w := newM365World(t)
	w.weekly("Ada / Grace", nil)
	w.srv.InjectFault(graphtest.Fault{Status: 429, RetryAfter: 4 * time.Second, Path: "calendarView/delta"})
	w.srv.InjectFault(graphtest.Fault{Status: 503, RetryAfter: 2 * time.Second, Path: "/events/"})
	w.sync()
	if h, _ := w.history(0); len(h) != 1 {
		t.Errorf("history %q", h)
	}
	if len(w.waits) != 2 || w.waits[0] != 4*time.Second || w.waits[1] != 2*time.Second {
		t.Errorf("waits %v, want [4s 2s]", w.waits)
	}
}

// TestM365RevokedSecretMakesTheCalendarUnhealthy: the app's secret is
// deleted and the token it got expires: the first poll meets the 401 and
// asks for a new token once; every later poll makes that one token
// request, never a loop; the calendar is unhealthy with a message that
// says what to do.
func TestM365RevokedSecretMakesTheCalendarUnhealthy(t *testing.T) {
	w := newM365World(t)
	w.weekly("Ada / Grace", nil)
	grace := w.calendar("grace", mGrace)
	all := []sync.Calendar{w.cal, grace}
	if sums := w.engine.SyncAll(t.Context(), all); sums[0].Err != nil || sums[1].Err != nil {
		t.Fatalf("first sync: %+v", sums)
	}
	w.srv.RevokeSecret(mApp, mSecret)
	w.srv.ExpireTokens()
	before := len(w.srv.Requests())
	if sum := w.engine.SyncOne(t.Context(), w.cal, all); !errors.Is(sum.Err, microsoft365.ErrCredentials) {
		t.Fatalf("after revoking: %v", sum.Err)
	}
	if n := len(w.srv.Requests()) - before; n != 2 {
		t.Errorf("%d requests in the first poll, want the refused Graph request and one token request", n)
	}
	for range 3 {
		before := len(w.srv.Requests())
		sum := w.engine.SyncOne(t.Context(), w.cal, all)
		if !errors.Is(sum.Err, microsoft365.ErrCredentials) {
			t.Fatalf("after revoking: %v", sum.Err)
		}
		if n := len(w.srv.Requests()) - before; n != 1 {
			t.Errorf("%d requests in one poll, want the one token request", n)
		}
	}
	health, err := sync.Health(t.Context(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	var ada *sync.CalendarHealth
	for i := range health {
		if health[i].Name == "ada" {
			ada = &health[i]
		}
	}
	if ada == nil || ada.Healthy || !strings.Contains(ada.LastError, "AADSTS7000215") || !strings.Contains(ada.LastError, "client_secret_file") {
		t.Errorf("ada's health: %+v", ada)
	}
}

// writeAgenda runs the agenda writers over the calendars set up, for the
// occurrence of 8 December.
func (w *mworld) writeAgenda(set []sync.Calendar, uid, organizer string, people [2]string, block string) ([]string, error) {
	ws := sync.AgendaWriters{DB: w.db, Calendars: func() []sync.Calendar { return set }, Now: w.clock.Now}
	m := calendars.Meeting{SeriesUID: uid, RecurrenceID: "2026-12-08T09:00:00Z", End: tuesday(8, 12).Add(30 * time.Minute),
		Organizer: organizer, People: [2]calendars.Person{{Email: people[0]}, {Email: people[1]}}}
	return ws.WriteAgenda(context.Background(), m, block)
}

func (w *mworld) body(user, uid string) string {
	ev, ok := w.srv.Event(user, w.srv.EventID(user, uid, tuesday(8, 12)))
	if !ok {
		w.t.Fatalf("no occurrence of %s in %s", uid, user)
	}
	return ev.BodyHTML
}

// TestM365AgendaIntoAttendeesCopyOnly: with Ada's and Grace's mailboxes
// watched, the agenda goes into Grace's copy (her text kept) and reaches
// her; Ada's, the organizer's, is left alone (prep mails her); `series`
// says so; no attendee got a message from our writes.
func TestM365AgendaIntoAttendeesCopyOnly(t *testing.T) {
	w := newM365World(t)
	uid := w.weekly("Ada / Grace", nil)
	set := []sync.Calendar{w.cal, w.calendar("grace", mGrace)}
	for _, s := range w.engine.SyncAll(t.Context(), set) {
		if s.Err != nil {
			t.Fatal(s.Err)
		}
	}
	w.srv.EditBody(mGrace, uid, tuesday(8, 12), "<p>Grace: ask about the offsite</p>")
	before := w.srv.GraphRequests()
	reached, err := w.writeAgenda(set, uid, mAda, [2]string{mAda, mGrace}, "1. Roadmap")
	if err != nil || len(reached) != 1 || reached[0] != mGrace {
		t.Fatalf("reached %v, %v", reached, err)
	}
	if b := w.body(mGrace, uid); !strings.Contains(b, "Roadmap") || !strings.Contains(b, "ask about the offsite") {
		t.Errorf("grace's copy: %s", b)
	}
	if b := w.body(mAda, uid); strings.Contains(b, "Roadmap") {
		t.Errorf("the organizer's copy was written: %s", b)
	}
	for _, r := range w.srv.Requests()[before:] {
		if strings.Contains(r.Path, mAda) {
			t.Errorf("the organizer's mailbox was asked: %s %s", r.Method, r.Path)
		}
	}
	if n := w.srv.GraphNotifications(); n != 0 {
		t.Errorf("%d attendee messages caused by our writes", n)
	}
	list, err := sync.ListSeries(t.Context(), w.db, w.clock.Now(), kinds)
	if err != nil || len(list) != 1 {
		t.Fatalf("series %+v, %v", list, err)
	}
	r := list[0].Agenda
	if len(r) != 2 || r[0].Email != mAda || r[0].Via != "mail" || !strings.Contains(r[0].Why, "organizer's") ||
		r[1].Via != "calendar" || !strings.Contains(r[1].Why, "notifies nobody") {
		t.Errorf("series says %+v", r)
	}
}

// TestM365AgendaIntoBothCopiesWhenAnAssistantOrganizes: a 1:1 that an
// assistant (ignored by the rules) set up for Ada and Grace: both copies
// are attendees' copies, both are written, nobody gets a message.
func TestM365AgendaIntoBothCopiesWhenAnAssistantOrganizes(t *testing.T) {
	w := newM365World(t)
	const assistant = "assistant@contoso.com"
	uid := w.srv.CreateMeeting(graphtest.Meeting{Organizer: assistant, Attendees: []string{mAda, mGrace}, Subject: "Ada / Grace",
		Body: "<p>set up by the assistant</p>", Start: tuesday(3, 11), Duration: 30 * time.Minute,
		TimeZone: "W. Europe Standard Time", Recurrence: &graphtest.Recurrence{Pattern: "weekly", Interval: 1}})
	rules := calendars.DefaultRules()
	rules.IgnoreAttendees = []string{assistant}
	w.cal.Rules = rules
	grace := w.calendar("grace", mGrace)
	grace.Rules = rules
	set := []sync.Calendar{w.cal, grace}
	for _, s := range w.engine.SyncAll(t.Context(), set) {
		if s.Err != nil {
			t.Fatal(s.Err)
		}
	}
	if h, _ := w.history(0); len(h) != 1 || h[0] != "created" {
		t.Fatalf("history %q, want the 1:1 created", h)
	}
	reached, err := w.writeAgenda(set, uid, assistant, [2]string{mAda, mGrace}, "1. Roadmap")
	if err != nil || len(reached) != 2 {
		t.Fatalf("reached %v, %v", reached, err)
	}
	for _, user := range []string{mAda, mGrace} {
		if b := w.body(user, uid); !strings.Contains(b, "Roadmap") || !strings.Contains(b, "set up by the assistant") {
			t.Errorf("%s's copy: %s", user, b)
		}
	}
	if n := w.srv.GraphNotifications(); n != 0 {
		t.Errorf("%d attendee messages caused by our writes", n)
	}
}

// TestM365AndCalDAVPairIsOneSeries: Ada organizes on Microsoft 365, Grace
// keeps her copy on a CalDAV server (Radicale). The two copies are one
// series by UID: one created event, one set of occurrences, a move seen
// once; the agenda goes into Grace's CalDAV copy while Ada, whose copy is
// the organizer's, is mailed.
func TestM365AndCalDAVPairIsOneSeries(t *testing.T) {
	rw := newWorld(t)
	w := newM365World(t)
	w.db, w.engine = rw.db, rw.engine
	uid := w.weekly("Ada / Grace", nil)
	rw.put("pair.ics", event{uid: uid, organizer: mAda, attendees: []string{mAda, mGrace}}.ics())
	grace := rw.cal
	grace.Name, grace.Owner = "grace", mGrace
	all := []sync.Calendar{w.cal, grace}
	for _, s := range w.engine.SyncAll(t.Context(), all) {
		if s.Err != nil {
			t.Fatal(s.Err)
		}
	}
	h, last := w.history(0)
	want(t, h, "created")
	if n := w.count(`SELECT count(*) FROM series`); n != 1 {
		t.Errorf("%d series, want the pair's one", n)
	}
	w.srv.MoveOccurrence(uid, tuesday(1, 12), time.Date(2026, 12, 2, 15, 0, 0, 0, berlin))
	rw.put("pair.ics", event{uid: uid, organizer: mAda, attendees: []string{mAda, mGrace}, overrides: []string{
		"RECURRENCE-ID;TZID=Europe/Berlin:20261201T100000\r\nDTSTART;TZID=Europe/Berlin:20261202T150000\r\nDTEND;TZID=Europe/Berlin:20261202T153000\r\n" +
			"ATTENDEE;PARTSTAT=ACCEPTED:mailto:" + mAda + "\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:" + mGrace + "\r\n"}}.ics())
	for _, s := range w.engine.SyncAll(t.Context(), all) {
		if s.Err != nil {
			t.Fatal(s.Err)
		}
	}
	h, _ = w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→2026-12-02T15:00:00+01:00")
	list, err := sync.ListSeries(t.Context(), w.db, w.clock.Now(), kinds)
	if err != nil || len(list) != 1 {
		t.Fatalf("series %+v, %v", list, err)
	}
	r := list[0].Agenda
	if len(r) != 2 || r[0].Email != mAda || r[0].Via != "mail" || r[1].Via != "calendar" ||
		len(r[1].Calendars) != 1 || r[1].Calendars[0] != "grace" {
		t.Errorf("series says %+v", r)
	}
}

// TestM365WholeSeriesMovedIsMovedNotCancelled: the organizer moves all
// events an hour later; Graph drops the old occurrences (new ids, the
// exception gone) and the engine sees each meeting moved, as for Google
// and CalDAV, with nothing left standing for the old pattern.
func TestM365WholeSeriesMovedIsMovedNotCancelled(t *testing.T) {
	w := newM365World(t)
	uid := w.weekly("Ada / Grace", nil)
	w.srv.MoveOccurrence(uid, tuesday(1, 12), time.Date(2026, 12, 2, 15, 0, 0, 0, berlin))
	w.sync()
	_, last := w.history(0)
	if n := w.count(`SELECT count(*) FROM calendar_objects`); n != 2 {
		t.Fatalf("%d objects before, want the series and its exception", n)
	}
	w.srv.MoveSeries(uid, tuesday(3, 11).Add(time.Hour))
	w.sync()
	h, _ := w.history(last)
	lines := movedLines(tuesdays, func(t time.Time) time.Time { return t.Add(time.Hour) })
	lines[1] = "moved 2026-12-01T10:00:00Z 2026-12-02T15:00:00+01:00→2026-12-01T11:00:00+01:00" // the exception is dropped
	want(t, h, lines...)
	if n := w.count(`SELECT count(*) FROM calendar_objects`); n != 1 {
		t.Errorf("%d objects after, want the series alone", n)
	}
}
