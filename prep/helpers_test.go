package prep_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
	"github.com/oneonone/oneonone/mailer"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/prep"
	prepstore "github.com/oneonone/oneonone/prep/store"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// t0 is a Monday morning; the meeting of the tests is the next day.
var (
	t0    = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	start = time.Date(2026, 3, 3, 13, 0, 0, 0, time.UTC) // Tue 14:00 in Berlin
)

// The tables of prep and of the outbox it enqueues into, as the daemon
// migrates them.
var (
	prepSchema   = db.Schema{Owner: prepstore.MigrationsOwner, FS: prepstore.Migrations, Dir: "migrations"}
	mailerSchema = db.Schema{Owner: mailstore.MigrationsOwner, FS: mailstore.Migrations, Dir: "migrations"}
)

const (
	ada   = "ada@example.com"
	grace = "grace@example.com"
)

// meetings is a fake sync store: what Upcoming, Meeting and Previous
// return is whatever the test put in.
type meetings struct {
	mu sync.Mutex
	ms map[string]prep.Meeting
}

func (f *meetings) put(m prep.Meeting) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ms == nil {
		f.ms = map[string]prep.Meeting{}
	}
	f.ms[m.SeriesUID+" "+m.RecurrenceID] = m
}

func (f *meetings) all() []prep.Meeting {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []prep.Meeting
	for _, m := range f.ms {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

func (f *meetings) Upcoming(_ context.Context, from, to time.Time) ([]prep.Meeting, error) {
	var out []prep.Meeting
	for _, m := range f.all() {
		if !m.Start.Before(from) && m.Start.Before(to) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (f *meetings) Meeting(_ context.Context, uid, rid string) (prep.Meeting, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.ms[uid+" "+rid]
	if !ok {
		return m, prep.ErrNoMeeting
	}
	return m, nil
}

func (f *meetings) Previous(_ context.Context, cur prep.Meeting) (*prep.Meeting, error) {
	var prev *prep.Meeting
	for _, m := range f.all() {
		if m.SeriesUID == cur.SeriesUID && m.Start.Before(cur.Start) && !m.Cancelled() {
			prev = &m
		}
	}
	return prev, nil
}

// meeting returns occurrence n (1-based) of the weekly series s1: Ada
// organizes, Grace attends, in Berlin.
func meeting(n int) prep.Meeting {
	st := start.AddDate(0, 0, 7*(n-1))
	return prep.Meeting{
		SeriesUID:    "s1@example.com",
		RecurrenceID: st.Format(time.RFC3339),
		Start:        st,
		End:          st.Add(30 * time.Minute),
		TimeZone:     "Europe/Berlin",
		Summary:      "Ada / Grace weekly",
		Calendar:     "ada",
		Organizer:    ada,
		People:       [2]prep.Person{{Email: ada, Name: "Ada Lovelace"}, {Email: grace, Name: "Grace Hopper"}},
		State:        "scheduled",
		Number:       n,
	}
}

// testSet has a question for each visibility, one per role, and one asked
// every fourth meeting.
func testSet() prep.QuestionSet {
	q := func(id, kind, vis, role string, every int) prep.SetQuestion {
		return prep.SetQuestion{ID: id, Text: "Q " + id + "?", Kind: kind, Visibility: vis, Role: role, Every: every}
	}
	return prep.QuestionSet{Name: "test", Questions: []prep.SetQuestion{
		q("topics", "text", "agenda", "both", 1),
		q("feedback", "text", "pair", "both", 1),
		q("mood", "scale", "private", "both", 1),
		q("next_steps", "text", "agenda", "both", 1),
		q("team", "text", "agenda", "organizer", 1),
		q("growth", "text", "private", "attendee", 1),
		q("career", "text", "agenda", "both", 4),
	}}
}

// env is prep with a real database and outbox on disk, a fake sync store
// and a fixed clock.
type env struct {
	t        testing.TB
	dbFile   string
	db       *sql.DB
	clock    *testkit.Clock
	meetings *meetings
	outbox   *mailstore.Outbox
	links    *prep.Links
	answers  *prep.AnswerCipher
	settings prep.Settings
	sched    *prep.Scheduler
	svc      *prep.Service
	notified int
}

func newEnv(t testing.TB) *env {
	t.Helper()
	if dbtest.FromEnv() != db.SQLite {
		return newEnvOn(t, dbtest.OpenEnv(t, mailerSchema, prepSchema))
	}
	file := filepath.Join(t.TempDir(), "oneonone.db")
	h, err := db.Open(context.Background(), file, mailerSchema, prepSchema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	e := newEnvOn(t, h)
	e.dbFile = file
	return e
}

// newEnvOn is the env on h, a database migrated with mailerSchema and
// prepSchema.
func newEnvOn(t testing.TB, h *sql.DB) *env {
	t.Helper()
	e := &env{t: t, db: h, clock: testkit.NewClock(t0), meetings: &meetings{}}
	var err error
	e.outbox = mailstore.NewOutbox(e.db, e.clock.Now)
	if e.links, err = prep.NewLinks([]byte(strings.Repeat("k", 32))); err != nil {
		t.Fatal(err)
	}
	if e.answers, err = prep.NewAnswerCipher(prep.AnswerKey([]byte(strings.Repeat("k", 32)))); err != nil {
		t.Fatal(err)
	}
	if err := prep.SealAnswers(context.Background(), e.db, e.answers); err != nil {
		t.Fatal(err)
	}
	e.settings = prep.Settings{
		SendBefore: 24 * time.Hour, RemindBefore: 2 * time.Hour, Grace: 24 * time.Hour,
		PublicURL: "https://1on1.example.com", From: mailer.FormatAddress("1:1 prep", "oneonone@example.com"),
		QuestionSet: func(a, b string) prep.QuestionSet { return testSet() },
	}
	e.rewire()
	return e
}

// rewire rebuilds the parts after a test changed e.settings.
func (e *env) rewire() {
	e.sched = &prep.Scheduler{DB: e.db, Meetings: e.meetings, Outbox: e.outbox, Links: e.links,
		Settings: e.settings, Notify: func() { e.notified++ }}
	e.svc = &prep.Service{DB: e.db, Meetings: e.meetings, Settings: e.settings, Now: e.clock.Now, Answers: e.answers}
}

// tick runs the scheduler at t.
func (e *env) tick(t time.Time) prep.Sent {
	e.t.Helper()
	e.clock.Set(t)
	sent, err := e.sched.Tick(context.Background(), t)
	if err != nil {
		e.t.Fatalf("tick at %s: %v", t, err)
	}
	return sent
}

// mails returns the outbox messages, oldest first, as they would be sent.
func (e *env) mails() []mailer.Message {
	e.t.Helper()
	ms, err := e.outbox.List(context.Background(), mailer.ListOptions{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	for i, m := range ms {
		if ms[i], err = e.links.Expand(m); err != nil {
			e.t.Fatal(err)
		}
	}
	return ms
}

// keys returns the dedup keys of the outbox.
func (e *env) keys() []string {
	var ks []string
	for _, m := range e.mails() {
		ks = append(ks, m.DedupKey)
	}
	return ks
}

var formLinkRe = regexp.MustCompile(`https://1on1\.example\.com/p/([A-Za-z0-9_-]{43})`)

// token returns the token of the invite mailed to email for meeting m,
// read from the mail as its recipient would.
func (e *env) token(m prep.Meeting, email string) string {
	e.t.Helper()
	key := prep.DedupKey(m.SeriesUID, m.RecurrenceID, email, "invite")
	for _, msg := range e.mails() {
		if msg.DedupKey == key {
			if sm := formLinkRe.FindStringSubmatch(msg.Text); sm != nil {
				return sm[1]
			}
		}
	}
	e.t.Fatalf("no invite %s", key)
	return ""
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}
