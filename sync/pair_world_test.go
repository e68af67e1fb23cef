package sync_test

import (
	"context"
	"database/sql"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/mailer"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// watching says which copies of the meeting the daemon watches and in
// which order one cycle syncs them.
type watching struct {
	name  string
	order []string // calendar owners, synced in this order
}

var watchings = []watching{
	{"ada's calendar only", []string{"ada"}},
	{"both, ada's first", []string{"ada", "grace"}},
	{"both, grace's first", []string{"grace", "ada"}},
}

// pairWorld is the 1:1 of Ada and Grace in both their Radicale
// calendars, the engine, and prep with its outbox, all on one database
// and one clock the test moves. Every edit is made in both calendars, as
// the organizer's server delivers it to the attendee's.
type pairWorld struct {
	t       *testing.T
	srv     *caldavtest.Server
	db      *sql.DB
	now     time.Time
	engine  *sync.Engine
	cals    map[string]sync.Calendar
	cols    map[string]string
	order   []string
	outbox  *mailstore.Outbox
	links   *prep.Links
	sched   *prep.Scheduler
	answers *prep.AnswerCipher
	svc     *prep.Service
}

func newPairWorld(t *testing.T, w watching) *pairWorld {
	t.Helper()
	p := newPrepWorld(t, w, sync.Schema, mailerSchema, prepSchema)
	p.srv = caldavtest.StartRadicale(t, caldavtest.User{Name: "ada", Password: "pw"}, caldavtest.User{Name: "grace", Password: "pw"})
	for _, user := range []string{"ada", "grace"} {
		col := p.srv.MakeCalendar(t, user, "work")
		c, err := caldav.New(col, caldav.Options{Username: user, Password: "pw"})
		if err != nil {
			t.Fatal(err)
		}
		p.cols[user] = col
		p.cals[user] = sync.Calendar{Name: user, Kind: "caldav", Owner: user + "@example.com",
			Feed: caldav.Feed{Client: c, Collection: col}, Rules: calendars.DefaultRules()}
	}
	return p
}

// newPrepWorld is the database, the engine and prep, without calendars.
func newPrepWorld(t *testing.T, w watching, schemas ...db.Schema) *pairWorld {
	p := &pairWorld{t: t, now: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), order: w.order,
		cals: map[string]sync.Calendar{}, cols: map[string]string{}}
	d := dbtest.OpenEnv(t, schemas...)
	p.db = d
	p.engine = &sync.Engine{DB: d, Now: p.clock, OnRekey: func(ctx context.Context, tx *sql.Tx, from, to sync.Ref) error {
		return prep.Rekey(ctx, tx, p.answers, from.SeriesUID, from.RecurrenceID, to.SeriesUID, to.RecurrenceID)
	}}
	p.wirePrep(p.clock)
	return p
}

func (p *pairWorld) clock() time.Time { return p.now }

func (p *pairWorld) wirePrep(clock func() time.Time) {
	var err error
	if p.links, err = prep.NewLinks([]byte(strings.Repeat("k", 32))); err != nil {
		p.t.Fatal(err)
	}
	p.outbox = mailstore.NewOutbox(p.db, clock)
	settings := prep.Settings{SendBefore: 10 * 24 * time.Hour, RemindBefore: 2 * time.Hour, Grace: 24 * time.Hour,
		PublicURL: "https://1on1.example.com", From: mailer.FormatAddress("1:1 prep", "oneonone@example.com"),
		QuestionSet: func(a, b string) prep.QuestionSet {
			return prep.QuestionSet{Name: "test", Questions: []prep.SetQuestion{{ID: "topics", Text: "Topics?", Kind: "text", Visibility: "agenda"}}}
		}}
	meetings := sync.Meetings{DB: p.db}
	p.sched = &prep.Scheduler{DB: p.db, Meetings: meetings, Outbox: p.outbox, Links: p.links, Settings: settings}
	if p.answers, err = prep.NewAnswerCipher(prep.AnswerKey([]byte(strings.Repeat("a", 32)))); err != nil {
		p.t.Fatal(err)
	}
	p.svc = &prep.Service{DB: p.db, Meetings: meetings, Settings: settings, Now: clock, Answers: p.answers}
}

// put writes a resource into both calendars.
func (p *pairWorld) put(name string, e event) {
	for user, col := range p.cols {
		p.srv.Put(p.t, user, col+name, []byte(e.ics()))
	}
}

// cycle syncs the watched calendars in their order, then runs the prep
// scheduler, as the daemon does.
func (p *pairWorld) cycle() {
	p.t.Helper()
	var cals []sync.Calendar
	for _, user := range p.order {
		cals = append(cals, p.cals[user])
	}
	for _, s := range p.engine.SyncAll(context.Background(), cals) {
		if s.Err != nil {
			p.t.Fatalf("sync %s: %v", s.Calendar, s.Err)
		}
	}
	p.tick()
}

func (p *pairWorld) tick() {
	p.t.Helper()
	if _, err := p.sched.Tick(context.Background(), p.now); err != nil {
		p.t.Fatalf("prep tick: %v", err)
	}
}

func (p *pairWorld) history(after int) ([]string, int) {
	return (&world{t: p.t, db: p.db}).history(after)
}

// mails returns "kind email uid key" for every message in the outbox,
// oldest first.
func (p *pairWorld) mails() []string {
	p.t.Helper()
	ms, err := p.outbox.List(context.Background(), mailer.ListOptions{Limit: 1000})
	if err != nil {
		p.t.Fatal(err)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	var out []string
	for _, m := range ms {
		parts := strings.Split(strings.TrimPrefix(m.DedupKey, "prep:"), ":")
		// uid : key (with colons) : email : kind
		n := len(parts)
		out = append(out, parts[n-1]+" "+parts[n-2]+" "+parts[0]+" "+strings.Join(parts[1:n-2], ":"))
	}
	return out
}

var formLink = regexp.MustCompile(`https://1on1\.example\.com/p/([A-Za-z0-9_-]{43})`)

// token is the form link token mailed to email for the occurrence key.
func (p *pairWorld) token(uid, key, email string) string {
	p.t.Helper()
	ms, err := p.outbox.List(context.Background(), mailer.ListOptions{Limit: 1000})
	if err != nil {
		p.t.Fatal(err)
	}
	for _, m := range ms {
		if m.DedupKey != prep.DedupKey(uid, key, email, "invite") {
			continue
		}
		if m, err = p.links.Expand(m); err != nil {
			p.t.Fatal(err)
		}
		if sm := formLink.FindStringSubmatch(m.Text); sm != nil {
			return sm[1]
		}
	}
	p.t.Fatalf("no invite for %s %s %s", uid, key, email)
	return ""
}

// answer saves topics through a link, as its person would.
func (p *pairWorld) answer(token, topics string) {
	p.t.Helper()
	if _, err := p.svc.Save(context.Background(), token, map[string]string{"topics": topics}); err != nil {
		p.t.Fatalf("save: %v", err)
	}
}

// form opens a link and says which meeting it shows, when, and the answer.
func (p *pairWorld) form(token string) string {
	p.t.Helper()
	f, err := p.svc.Open(context.Background(), token)
	if err != nil {
		return "error: " + err.Error()
	}
	return f.Meeting.SeriesUID + " " + f.Meeting.RecurrenceID + " " + f.Meeting.Start.Format(time.RFC3339) + " " + f.Answers["topics"]
}

// orphans counts prep requests whose occurrence the engine does not know.
func (p *pairWorld) orphans() int {
	var n int
	err := p.db.QueryRow(`SELECT count(*) FROM prep_requests r WHERE NOT EXISTS (SELECT 1 FROM occurrences o
		JOIN series s ON s.id = o.series_id WHERE s.uid = r.series_uid AND o.recurrence_id = r.recurrence_id
		AND o.state NOT IN ('superseded', 'cancelled'))`).Scan(&n)
	if err != nil {
		p.t.Fatal(err)
	}
	return n
}
