package google

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/google/googletest"
)

var dec1 = time.Date(2026, 12, 1, 10, 0, 0, 0, berlin)

// appendAgenda is an edit that adds the agenda once.
func appendAgenda(old string) (string, bool) {
	if strings.Contains(HTMLToText(old), "== agenda ==") {
		return old, false
	}
	return old + "\n== agenda ==\n- ship it", true
}

func TestWriteDescriptionPatchesOneInstance(t *testing.T) {
	srv, c, _ := setup(t)
	id, _ := weekly(srv)
	srv.SetDescription(ada, id, "Weekly 1:1")
	if err := c.WriteDescription(t.Context(), ada, id, dec1, false, appendAgenda); err != nil {
		t.Fatal(err)
	}
	inst := InstanceID(id, dec1, false)
	if inst != id+"_20261201T090000Z" {
		t.Errorf("instance id %s", inst)
	}
	patches := srv.Requests("events.patch")
	if len(patches) != 1 || !strings.HasSuffix(patches[0].Path, "/events/"+inst) || patches[0].SendUpdates != "none" ||
		patches[0].Header.Get("If-Match") == "" {
		t.Fatalf("patch requests %+v", patches)
	}
	if got := srv.Event(ada, inst).Description; got != "Weekly 1:1\n== agenda ==\n- ship it" {
		t.Errorf("instance description %q", got)
	}
	if got := srv.Event(ada, InstanceID(id, dec1.AddDate(0, 0, 7), false)).Description; got != "Weekly 1:1" {
		t.Errorf("the next occurrence changed too: %q", got)
	}
	if got := srv.Event(grace, inst).Description; !strings.Contains(got, "ship it") {
		t.Errorf("grace's copy: %q", got)
	}
	// Nothing to change: nothing written.
	if err := c.WriteDescription(t.Context(), ada, id, dec1, false, appendAgenda); err != nil || count(srv, "events.patch") != 1 {
		t.Errorf("unchanged block: %v, %d patches", err, count(srv, "events.patch"))
	}
}

func TestWriteDescriptionRereadsOn412(t *testing.T) {
	srv, c, _ := setup(t)
	id, _ := weekly(srv)
	inst := InstanceID(id, dec1, false)
	var seen []string
	edit := func(old string) (string, bool) {
		seen = append(seen, old)
		if len(seen) == 1 { // someone edits the event between our read and our write
			srv.SetDescription(ada, inst, "Ada's notes")
		}
		return old + "|agenda", true
	}
	if err := c.WriteDescription(t.Context(), ada, id, dec1, false, edit); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[1] != "Ada's notes" || srv.Event(ada, inst).Description != "Ada's notes|agenda" {
		t.Errorf("edits saw %q; description %q", seen, srv.Event(ada, inst).Description)
	}
	if p := srv.Requests("events.patch"); len(p) != 2 || p[0].Status != 412 || p[1].Status != 200 {
		t.Errorf("patches %+v", p)
	}

	n := 0
	always := func(old string) (string, bool) {
		n++
		srv.SetDescription(ada, inst, old+"!")
		return "mine", true
	}
	err := c.WriteDescription(t.Context(), ada, id, dec1, false, always)
	if !errors.Is(err, calendars.ErrConflict) || n != 5 {
		t.Errorf("always conflicting: %v after %d rounds", err, n)
	}
}

func TestWriteDescriptionNotTheOrganizer(t *testing.T) {
	srv, _, clk := setup(t)
	id, _ := weekly(srv)
	asGrace := serviceClient(t, srv, grace, options(clk))
	err := asGrace.WriteDescription(t.Context(), grace, id, dec1, false, appendAgenda)
	if !errors.Is(err, ErrNotWritable) || count(srv, "events.patch") != 1 {
		t.Errorf("attendee copy: %v", err)
	}
	srv.SetSilentNoop(grace, true)
	err = asGrace.WriteDescription(t.Context(), grace, id, dec1, false, appendAgenda)
	if !errors.Is(err, ErrNotWritable) || srv.Requests("events.patch")[1].Status != 200 {
		t.Errorf("silent no-op: %v", err)
	}
	if strings.Contains(srv.Event(ada, InstanceID(id, dec1, false)).Description, "agenda") {
		t.Error("the organizer's copy changed")
	}
}

func TestWriteDescriptionKeepsHTMLHandledByTheEdit(t *testing.T) {
	srv, c, _ := setup(t)
	srv.SetHTMLDescriptions(true)
	id, _ := weekly(srv)
	inst := InstanceID(id, dec1, false)
	srv.SetDescription(ada, inst, "Notes & links:\nhttps://docs.example.com/1on1")
	var raw string
	edit := func(old string) (string, bool) {
		raw = old
		return appendAgenda(old)
	}
	if err := c.WriteDescription(t.Context(), ada, id, dec1, false, edit); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(raw, "&amp;") || !strings.Contains(raw, "<br>") {
		t.Errorf("the edit did not get the raw HTML: %q", raw)
	}
	stored := srv.Event(ada, inst).Description
	if got := HTMLToText(stored); got != "Notes & links:\nhttps://docs.example.com/1on1\n== agenda ==\n- ship it" {
		t.Errorf("stored %q reads as %q", stored, got)
	}
	// The block is found again in the HTML Google made of it.
	if err := c.WriteDescription(t.Context(), ada, id, dec1, false, edit); err != nil || count(srv, "events.patch") != 1 {
		t.Errorf("second write: %v, %d patches", err, count(srv, "events.patch"))
	}
}

func TestWriteDescriptionAllDayAndCancelled(t *testing.T) {
	srv, c, _ := setup(t)
	id, _ := srv.AddRecurring(ada, googletest.Recurring{Summary: "Offsite", Start: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC),
		AllDay: true, RRule: "FREQ=WEEKLY", Organizer: ada, Attendees: []string{grace}})
	day := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	if err := c.WriteDescription(t.Context(), ada, id, day, true, appendAgenda); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(srv.Event(ada, id+"_20261110").Description, "agenda") {
		t.Error("all-day instance not written")
	}
	srv.CancelOccurrence(ada, id, day.AddDate(0, 0, 7))
	err := c.WriteDescription(t.Context(), ada, id, day.AddDate(0, 0, 7), true, appendAgenda)
	if !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled occurrence: %v", err)
	}
	if err := c.WriteDescription(t.Context(), ada, id, day.Add(time.Hour), true, appendAgenda); err != nil {
		t.Errorf("an all-day key with a time of day: %v", err)
	}
}

func TestHTMLToText(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ntext with < and &":                                  "plain\ntext with < and &",
		"a<br>b<br/>c":                                              "a\nb\nc",
		"Tom &amp; Jerry &lt;3 &#39;x&#39;&nbsp;y":                  "Tom & Jerry <3 'x' y",
		`see <a href="https://x.example/a">https://x.example/a</a>`: "see https://x.example/a",
		"<p>one</p><p>two</p>":                                      "one\ntwo",
		"intro<ul><li>a</li><li><b>b</b></li></ul>after":            "intro\n- a\n- b\nafter",
		"<html-blob>x<br><br>y</html-blob>":                         "x\n\ny",
		"a<br>":                                                     "a\n",
	} {
		if got := HTMLToText(in); got != want {
			t.Errorf("HTMLToText(%q) = %q, want %q", in, got, want)
		}
	}
}

// The agenda block survives Google's HTML rewriting of descriptions: the
// engine's SetAgendaBlock, as the edit, finds it again and keeps the
// user's text.
func TestWriteDescriptionWithTheAgendaBlockThroughHTML(t *testing.T) {
	srv, c, _ := setup(t)
	srv.SetHTMLDescriptions(true)
	id, _ := weekly(srv)
	inst := InstanceID(id, dec1, false)
	srv.SetDescription(ada, inst, "Room 4 & video: https://meet.example.com/abc\nBring numbers")
	write := func(body string) error {
		return c.WriteDescription(t.Context(), ada, id, dec1, false, func(old string) (string, bool) {
			return calendars.SetAgendaBlock(old, body)
		})
	}
	for _, body := range []string{"- Ada: hiring <plan>\n- Grace: offsite", "- Ada: hiring <plan>\n- Grace: offsite", "- Ada: done"} {
		if err := write(body); err != nil {
			t.Fatal(err)
		}
		desc := srv.Event(ada, inst).Description
		got, ok := calendars.AgendaBlock(desc)
		if !strings.Contains(desc, "<br>") || !ok || got != body || !strings.HasPrefix(HTMLToText(desc), "Room 4 & video: https://meet.example.com/abc\nBring numbers\n") {
			t.Errorf("after writing %q: block %q (%v) in %q", body, got, ok, HTMLToText(desc))
		}
	}
	if n := count(srv, "events.patch"); n != 2 {
		t.Errorf("%d patches for two different agendas", n)
	}
}

// TestWriteDescriptionKeepsLoneMarkersInHTML: markers people typed into
// a description that Google stores as HTML (a lone start, a lone end, an
// end before a start) stay byte for byte; the block goes after them and
// is the only thing the next write changes.
func TestWriteDescriptionKeepsLoneMarkersInHTML(t *testing.T) {
	for name, text := range map[string]string{
		"lone start": "Notes " + calendars.AgendaStart + " keep this\nand this",
		"lone end":   "Notes\n" + calendars.AgendaEnd + "\nmore",
		"reversed":   calendars.AgendaEnd + " x " + calendars.AgendaStart + "\ntail",
	} {
		t.Run(name, func(t *testing.T) {
			srv, c, _ := setup(t)
			srv.SetHTMLDescriptions(true)
			id, _ := weekly(srv)
			inst := InstanceID(id, dec1, false)
			srv.SetDescription(ada, inst, text)
			theirs := srv.Event(ada, inst).Description
			for _, body := range []string{"first", "second"} {
				err := c.WriteDescription(t.Context(), ada, id, dec1, false, func(old string) (string, bool) {
					return calendars.SetAgendaBlock(old, body)
				})
				if err != nil {
					t.Fatal(err)
				}
				desc := srv.Event(ada, inst).Description
				if got, ok := calendars.AgendaBlock(desc); !ok || got != body || !strings.HasPrefix(desc, theirs) ||
					strings.Count(HTMLToText(desc), calendars.AgendaStart) != strings.Count(text, calendars.AgendaStart)+1 {
					t.Errorf("after %q: block %q (%v) in %q (theirs %q)", body, got, ok, desc, theirs)
				}
			}
		})
	}
}
