package sync_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/calendars/ics"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// agendaBody is a composed agenda: untrusted text with commas,
// semicolons, HTML, a fake end marker and lines long enough to fold.
const agendaBody = `Ada Lovelace
  What do you want to talk about? The Q4 plan; hiring, and the offsite — which is a long line that will need folding
Grace Hopper
  Blocking: <b>the build</b> & reviews
  ——— end of agenda ———`

// agendaWorld is a world with an agenda writer whose CalDAV client the
// test may wrap.
type agendaWorld struct {
	*world
	client caldav.Objects
	wrap   func(caldav.Objects) caldav.Objects
	writer *sync.AgendaWriter
	// maxRetries is the CalDAV writer's MaxRetries.
	maxRetries int
}

func newAgendaWorld(t *testing.T) *agendaWorld {
	w := &agendaWorld{world: newWorld(t)}
	c, err := caldav.New(w.col, caldav.Options{Username: "test", Password: "testpass"})
	if err != nil {
		t.Fatal(err)
	}
	w.client = c
	w.writer = &sync.AgendaWriter{DB: w.db, Now: func() time.Time { return w.now }, Writer: func(name string) (sync.OccurrenceWriter, error) {
		if name != "ada" {
			t.Errorf("client for calendar %q", name)
		}
		if w.wrap != nil {
			return caldav.Writer{Objects: w.wrap(w.client), MaxRetries: w.maxRetries}, nil
		}
		return caldav.Writer{Objects: w.client, MaxRetries: w.maxRetries}, nil
	}}
	return w
}

// seed stores testdata/agenda/name.input as name.ics and syncs it.
func (w *agendaWorld) seed(name string) {
	data, err := os.ReadFile(filepath.Join("testdata", "agenda", name+".input"))
	if err != nil {
		w.t.Fatal(err)
	}
	w.put(name+".ics", strings.ReplaceAll(string(data), "\n", "\r\n"))
	w.sync()
}

func (w *agendaWorld) get(name string) caldav.Object {
	w.t.Helper()
	obj, err := w.client.Get(context.Background(), w.col+name+".ics")
	if err != nil {
		w.t.Fatal(err)
	}
	return obj
}

func (w *agendaWorld) write(uid, key, block string) error {
	m := prep.Meeting{SeriesUID: uid, RecurrenceID: key, End: w.now.Add(60 * 24 * time.Hour)}
	return w.writer.WriteAgenda(context.Background(), m, block)
}

// puts counts the PUTs that reached the server since the last reset.
func (w *agendaWorld) puts() (n int, statuses []int) {
	for _, r := range w.srv.Requests() {
		if r.Method == "PUT" {
			n++
			statuses = append(statuses, r.Status)
		}
	}
	return n, statuses
}

var agendaCases = []struct{ name, uid, key, userText string }{
	{"weekly", "weekly-1on1@example.com", "2026-12-08T09:00:00Z", "Please, no laptops."},
	{"moved", "moved-1on1@example.com", "2026-12-01T09:00:00Z", "Moved: Ada is travelling."},
	{"allday", "allday-1on1@example.com", "2026-12-08", "Please, no laptops."},
	{"utc", "utc-1on1@example.com", "2026-12-08T15:30:00Z", "Please, no laptops."},
	{"no-organizer", "no-organizer@example.com", "2026-12-08T09:00:00Z", ""},
}

// TestWriteAgenda writes an agenda into one occurrence of each kind of
// series in Radicale and checks what Radicale then holds: the override
// with the block and the user's text, everything else as it was, the
// same occurrences; writing the same block again sends nothing; the next
// sync records no history.
func TestWriteAgenda(t *testing.T) {
	for _, c := range agendaCases {
		t.Run(c.name, func(t *testing.T) {
			w := newAgendaWorld(t)
			w.seed(c.name)
			_, last := w.history(0)
			before := w.get(c.name)
			w.srv.ResetRequests()
			if err := w.write(c.uid, c.key, agendaBody); err != nil {
				t.Fatal(err)
			}
			after := w.get(c.name)
			checkOnlyOccurrence(t, before.Data, after.Data, c.key, c.userText)
			golden(t, c.name, normalize(t, after.Data))
			w.srv.ResetRequests()
			if err := w.write(c.uid, c.key, agendaBody); err != nil {
				t.Fatal(err)
			}
			if n, _ := w.puts(); n != 0 {
				t.Errorf("the same block again: %d PUTs", n)
			}
			var stored string
			w.db.QueryRow(`SELECT etag FROM calendar_objects WHERE href LIKE ?`, "%/"+c.name+".ics").Scan(&stored)
			if stored != after.ETag {
				t.Errorf("stored etag %s, server's %s", stored, after.ETag)
			}
			if s := w.sync(); s.Events != 0 {
				t.Errorf("the sync after the write recorded %d events", s.Events)
			}
			if h, _ := w.history(last); len(h) != 0 {
				t.Errorf("history after the write: %q", h)
			}
		})
	}
}

// checkOnlyOccurrence checks that after differs from before only in the
// occurrence key: every other component of before is in after as it
// was, and the series expands to the same occurrences, the one at key
// with the block added to its description and the user's text kept.
func checkOnlyOccurrence(t *testing.T, before, after []byte, key, userText string) {
	t.Helper()
	b, a := componentSet(t, before), componentSet(t, after)
	if removed, added := diff(b, a), diff(a, b); len(removed) > 1 || len(added) != 1 {
		t.Errorf("components removed:\n%q\nadded:\n%q", removed, added)
	}
	from, to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	ob, oa := expandAll(t, before, from, to), expandAll(t, after, from, to)
	if len(ob) != len(oa) {
		t.Fatalf("%d occurrences, were %d", len(oa), len(ob))
	}
	found := false
	for i := range ob {
		x, y := ob[i], oa[i]
		if occKey(x) == key {
			found = true
			body, ok := calendars.AgendaBlock(y.Description)
			want, _ := calendars.AgendaBlock(setBlock(agendaBody))
			if !ok || body != want || !strings.HasPrefix(y.Description, x.Description) || !strings.Contains(y.Description, userText) {
				t.Errorf("occurrence %s: description %q", key, y.Description)
			}
			x.Description, x.Overridden = y.Description, true
		}
		if !x.Start.Equal(y.Start) || !x.End.Equal(y.End) || x.Summary != y.Summary || x.Location != y.Location ||
			x.Status != y.Status || x.Moved != y.Moved || x.Description != y.Description || len(x.Attendees) != len(y.Attendees) {
			t.Errorf("occurrence %s changed:\n%+v\n%+v", occKey(x), x, y)
		}
	}
	if !found {
		t.Errorf("no occurrence %s", key)
	}
}

func setBlock(body string) string { s, _ := calendars.SetAgendaBlock("", body); return s }

func occKey(o calendars.Occurrence) string {
	if o.AllDay {
		return o.Key.Format("2006-01-02")
	}
	return o.Key.Format(time.RFC3339)
}

func expandAll(t *testing.T, data []byte, from, to time.Time) []calendars.Occurrence {
	t.Helper()
	ss, probs := calendars.ReadICS([]calendars.File{{Name: "r.ics", Data: data}}, calendars.ReadOptions{})
	if len(ss) != 1 || len(probs) > 0 {
		t.Fatalf("read: %d series, %v", len(ss), probs)
	}
	return ss[0].Expand(from, to)
}

// componentSet renders each component of a resource on one line,
// independent of property order and folding.
func componentSet(t *testing.T, data []byte) []string {
	t.Helper()
	roots, probs := ics.Parse(data)
	if len(probs) > 0 || len(roots) != 1 {
		t.Fatalf("%v", probs)
	}
	var out []string
	for _, c := range roots[0].Children {
		sortTree(c)
		var b bytes.Buffer
		if err := ics.Encode(&b, []*ics.Component{c}); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.ReplaceAll(b.String(), "\r\n ", ""))
	}
	return out
}

func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// sortTree orders properties by name (then value) and components by
// name, RECURRENCE-ID and content, as a stable form for comparisons.
func sortTree(c *ics.Component) {
	sort.SliceStable(c.Props, func(i, j int) bool {
		a, b := c.Props[i], c.Props[j]
		return a.Name < b.Name || a.Name == b.Name && a.Value < b.Value
	})
	keys := map[*ics.Component]string{}
	for _, ch := range c.Children {
		sortTree(ch)
		var b bytes.Buffer
		_ = ics.Encode(&b, []*ics.Component{ch})
		rid := ""
		if p := ch.Prop("RECURRENCE-ID"); p != nil {
			rid = p.Value
		}
		keys[ch] = ch.Name + "\x00" + rid + "\x00" + b.String()
	}
	sort.SliceStable(c.Children, func(i, j int) bool { return keys[c.Children[i]] < keys[c.Children[j]] })
}

// normalize is the golden form of a resource: sorted, with the stamps a
// server may set replaced.
func normalize(t *testing.T, data []byte) []byte {
	t.Helper()
	roots, probs := ics.Parse(data)
	if len(probs) > 0 {
		t.Fatalf("%v", probs)
	}
	var walk func(c *ics.Component)
	walk = func(c *ics.Component) {
		for _, p := range c.Props {
			switch p.Name {
			case "DTSTAMP", "LAST-MODIFIED", "CREATED":
				p.Value = "20000101T000000Z"
			}
		}
		for _, ch := range c.Children {
			walk(ch)
		}
	}
	var b bytes.Buffer
	for _, r := range roots {
		walk(r)
		sortTree(r)
	}
	if err := ics.Encode(&b, roots); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "agenda", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update to rewrite it):\n%s", path, got)
	}
}

// racer is a CalDAV client before whose first puts a third party
// changes the resource (as a person editing the event in between).
type racer struct {
	caldav.Objects
	races int // how many puts are raced
	edit  func()
}

func (r *racer) Put(ctx context.Context, href string, data []byte, ifMatch string) (string, error) {
	if r.races > 0 {
		r.races--
		r.edit()
	}
	return r.Objects.Put(ctx, href, data, ifMatch)
}

// thirdParty rewrites the resource on the server the way another client
// would: unconditionally, after a change to its text.
func (w *agendaWorld) thirdParty(name string, change func(string) string) func() {
	return func() {
		obj := w.get(name)
		w.srv.Put(w.t, "test", w.col+name+".ics", []byte(change(string(unfold(obj.Data)))))
	}
}

func TestWriteAgendaReplacesTheBlock(t *testing.T) {
	w := newAgendaWorld(t)
	w.seed("weekly")
	const uid, key = "weekly-1on1@example.com", "2026-12-08T09:00:00Z"
	for _, block := range []string{"first agenda", "second agenda\nwith two lines"} {
		if err := w.write(uid, key, block); err != nil {
			t.Fatal(err)
		}
	}
	desc := occurrenceDescription(t, w.get("weekly").Data, key)
	if body, _ := calendars.AgendaBlock(desc); body != "second agenda\nwith two lines" || strings.Count(desc, calendars.AgendaStart) != 1 ||
		!strings.HasPrefix(desc, "Our weekly 1:1.\nRunning notes: https://docs.example.com/d/abc?x=1&y=2\nPlease, no laptops.\n\n") {
		t.Errorf("description %q", desc)
	}
	if err := w.write(uid, key, ""); err != nil {
		t.Fatal(err)
	}
	if desc := occurrenceDescription(t, w.get("weekly").Data, key); strings.Contains(desc, calendars.AgendaStart) || !strings.HasSuffix(desc, "no laptops.") {
		t.Errorf("an empty agenda left %q", desc)
	}
}

func occurrenceDescription(t *testing.T, data []byte, key string) string {
	t.Helper()
	for _, o := range expandAll(t, data, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		if occKey(o) == key {
			return o.Description
		}
	}
	t.Fatalf("no occurrence %s", key)
	return ""
}

// TestWriteAgendaAfterAThirdPartyEdit: someone edits the event between
// the writer's read and its write. The write gets 412, reads again and
// applies the block to their version: nothing of theirs is lost.
func TestWriteAgendaAfterAThirdPartyEdit(t *testing.T) {
	w := newAgendaWorld(t)
	w.seed("weekly")
	const uid, key = "weekly-1on1@example.com", "2026-12-08T09:00:00Z"
	// First write: the organizer edits the master's description meanwhile.
	w.wrap = func(c caldav.Objects) caldav.Objects {
		return &racer{Objects: c, races: 1, edit: w.thirdParty("weekly", func(s string) string {
			return strings.Replace(s, "no laptops.", "no laptops. Bring the roadmap.", 1)
		})}
	}
	w.srv.ResetRequests()
	if err := w.write(uid, key, "agenda one"); err != nil {
		t.Fatal(err)
	}
	if n, st := w.puts(); n != 2 || st[0] != 412 {
		t.Errorf("PUTs: %v, want a 412 then a success", st)
	}
	desc := occurrenceDescription(t, w.get("weekly").Data, key)
	if !strings.Contains(desc, "Bring the roadmap.\n\n"+calendars.AgendaStart+"\nagenda one\n") {
		t.Errorf("first write: %q", desc)
	}
	// Second write: Grace adds notes to the occurrence's own description.
	w.wrap = func(c caldav.Objects) caldav.Objects {
		return &racer{Objects: c, races: 1, edit: w.thirdParty("weekly", func(s string) string {
			return strings.Replace(s, "Bring the roadmap.\\n\\n", "Bring the roadmap.\\nGrace: I may be late.\\n\\n", 1)
		})}
	}
	if err := w.write(uid, key, "agenda two"); err != nil {
		t.Fatal(err)
	}
	desc = occurrenceDescription(t, w.get("weekly").Data, key)
	if body, _ := calendars.AgendaBlock(desc); body != "agenda two" || !strings.Contains(desc, "Grace: I may be late.") {
		t.Errorf("second write: %q", desc)
	}
	_, last := w.history(0)
	w.sync()
	if h, _ := w.history(last); len(h) != 0 {
		t.Errorf("history: %q", h)
	}
}

// unfold joins folded lines, so that a third party can edit the text by
// string replacement whatever the server's folding.
func unfold(data []byte) []byte { return bytes.ReplaceAll(data, []byte("\r\n "), nil) }

func TestWriteAgendaGivesUpAfterMaxRetries(t *testing.T) {
	w := newAgendaWorld(t)
	w.seed("weekly")
	n := 0
	w.wrap = func(c caldav.Objects) caldav.Objects {
		return &racer{Objects: c, races: 100, edit: w.thirdParty("weekly", func(s string) string {
			n++
			return strings.Replace(s, "X-MOZ-GENERATION:", "X-MOZ-GENERATION:1", 1)
		})}
	}
	w.maxRetries = 2
	w.srv.ResetRequests()
	err := w.write("weekly-1on1@example.com", "2026-12-08T09:00:00Z", "agenda")
	if !errors.Is(err, caldav.ErrPreconditionFailed) || errors.Is(err, prep.ErrNotWritable) {
		t.Errorf("err %v", err)
	}
	if puts, _ := w.puts(); puts != 3 || n != 3 {
		t.Errorf("%d PUTs, %d edits; want 3 (one and two retries)", puts, n)
	}
}

// TestWriteAgendaNotWritable: a copy the account may read but not write
// (Radicale answers 403), and one it may not even read, are
// prep.ErrNotWritable, so that prep mails the agenda instead.
func TestWriteAgendaNotWritable(t *testing.T) {
	w := newAgendaWorld(t)
	w.srv.Stop()
	w.srv = caldavtestRadicaleWithGrace(t)
	w.col = w.srv.MakeCalendar(t, "test", "work")
	w.cal = w.calendar("ada", "test", "testpass")
	w.client = mustClient(t, w.col, "test", "testpass")
	w.seed("weekly")
	grace := mustClient(t, w.col, "grace", "pw")
	for name, c := range map[string]caldav.Objects{"read only": readOnly{w.client, grace}, "no access": grace} {
		w.wrap = func(caldav.Objects) caldav.Objects { return c }
		err := w.write("weekly-1on1@example.com", "2026-12-08T09:00:00Z", "agenda")
		if !errors.Is(err, prep.ErrNotWritable) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// readOnly reads with one account and writes with another.
type readOnly struct{ reader, writer caldav.Objects }

func (r readOnly) Get(ctx context.Context, href string) (caldav.Object, error) {
	return r.reader.Get(ctx, href)
}

func (r readOnly) Put(ctx context.Context, href string, data []byte, ifMatch string) (string, error) {
	return r.writer.Put(ctx, href, data, ifMatch)
}

func mustClient(t *testing.T, col, user, pass string) *caldav.Client {
	c, err := caldav.New(col, caldav.Options{Username: user, Password: pass})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWriteAgendaRefuses(t *testing.T) {
	w := newAgendaWorld(t)
	w.seed("weekly")
	w.srv.ResetRequests()
	m := prep.Meeting{SeriesUID: "weekly-1on1@example.com", RecurrenceID: "2026-11-24T09:00:00Z", End: w.now.Add(-time.Minute)}
	if err := w.writer.WriteAgenda(context.Background(), m, "late"); !errors.Is(err, sync.ErrMeetingOver) {
		t.Errorf("a meeting that is over: %v", err)
	}
	if err := w.write("unknown", "2026-12-08T09:00:00Z", "x"); !errors.Is(err, prep.ErrNoMeeting) {
		t.Errorf("an unknown series: %v", err)
	}
	if err := w.write("weekly-1on1@example.com", "2026-12-09T09:00:00Z", "x"); !errors.Is(err, calendars.ErrNoOccurrence) {
		t.Errorf("not an occurrence: %v", err)
	}
	if n, _ := w.puts(); n != 0 {
		t.Errorf("%d PUTs", n)
	}
}

func caldavtestRadicaleWithGrace(t *testing.T) *caldavtest.Server {
	return caldavtest.StartRadicale(t, caldavtest.User{Name: "grace", Password: "pw"})
}
