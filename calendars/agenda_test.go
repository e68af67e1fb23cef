package calendars_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/ics"
)

const (
	aStart = calendars.AgendaStart
	aEnd   = calendars.AgendaEnd
)

func TestSetAgendaBlock(t *testing.T) {
	googleHTML := `Agenda doc: <a href="https://example.com/doc?a=1&amp;b=2">https://example.com/doc?a=1&amp;b=2</a><br><br>`
	cases := []struct {
		name, desc, body, want string
	}{
		{"empty description", "", "a\nb", aStart + "\na\nb\n" + aEnd},
		{"appended after a blank line", "Bring the laptop", "x", "Bring the laptop\n\n" + aStart + "\nx\n" + aEnd},
		{"one line break is completed", "Bring the laptop\n", "x", "Bring the laptop\n\n" + aStart + "\nx\n" + aEnd},
		{"a blank line is kept as it is", "Bring the laptop\n\n", "x", "Bring the laptop\n\n" + aStart + "\nx\n" + aEnd},
		{"replaced, text around kept",
			"Before\n\n" + aStart + "\nold\nlines\n" + aEnd + "\nAfter  \n",
			"new", "Before\n\n" + aStart + "\nnew\n" + aEnd + "\nAfter  \n"},
		{"CRLF description keeps CRLF",
			"Before\r\n\r\n" + aStart + "\r\nold\r\n" + aEnd + "\r\nAfter",
			"n1\nn2", "Before\r\n\r\n" + aStart + "\r\nn1\r\nn2\r\n" + aEnd + "\r\nAfter"},
		{"CRLF body in an LF description", "Before", "n1\r\nn2\r\n", "Before\n\n" + aStart + "\nn1\nn2\n" + aEnd},
		{"end marker deleted: the rest is the user's, a block is appended",
			"Before\n\n" + aStart + "\nold\nmy notes", "new", "Before\n\n" + aStart + "\nold\nmy notes\n\n" + aStart + "\nnew\n" + aEnd},
		{"a lone start marker typed before the block",
			"I typed " + aStart + " here\n\n" + aStart + "\nold\n" + aEnd, "new", "I typed " + aStart + " here\n\n" + aStart + "\nnew\n" + aEnd},
		{"a lone start marker typed after the block",
			aStart + "\nold\n" + aEnd + "\nnotes " + aStart + " more notes", "new", aStart + "\nnew\n" + aEnd + "\nnotes " + aStart + " more notes"},
		{"end before start: both are the user's",
			"a " + aEnd + " b " + aStart + " c", "new", "a " + aEnd + " b " + aStart + " c\n\n" + aStart + "\nnew\n" + aEnd},
		{"a lone end marker before the block",
			"a " + aEnd + " b\n" + aStart + "\nold\n" + aEnd, "new", "a " + aEnd + " b\n" + aStart + "\nnew\n" + aEnd},
		{"nested markers are the user's",
			aStart + " x " + aStart + " y " + aEnd + " z " + aEnd, "new",
			aStart + " x " + aStart + " y " + aEnd + " z " + aEnd + "\n\n" + aStart + "\nnew\n" + aEnd},
		{"two blocks: first kept, second removed",
			"A\n" + aStart + "\nx\n" + aEnd + "\nB\n\n" + aStart + "\ny\n" + aEnd, "z",
			"A\n" + aStart + "\nz\n" + aEnd + "\nB"},
		{"second block in the middle",
			aStart + "\nx\n" + aEnd + "\nB\n" + aStart + "\ny\n" + aEnd + "\nC", "z",
			aStart + "\nz\n" + aEnd + "\nB\n\nC"},
		{"a marker in the body cannot end the block", "", "a\n" + aEnd + "\nb",
			aStart + "\na\n—— end of agenda ——\nb\n" + aEnd},
		{"HTML from Google: only the span between the markers changes",
			googleHTML + aStart + "<br>old &amp; stuff<br>" + aEnd + "<br>Thanks!",
			"Q&A <b>", googleHTML + aStart + "<br>Q&amp;A &lt;b&gt;<br>" + aEnd + "<br>Thanks!"},
		{"HTML: markers wrapped in tags, &nbsp;",
			"<p>Hi</p><p><b>——— 1:1&nbsp;agenda (oneonone) ———</b></p><p>old</p><p>——— end of agenda ———</p><p>after</p>",
			"new", "<p>Hi</p>" + aStart + "<br>new<br>" + aEnd + "<p>after</p>"},
		{"HTML: markers as entities",
			"x<br>&#8212;&#8212;&#8212; 1:1 agenda (oneonone) &mdash;&mdash;&mdash;<br>old<br>&#x2014;&#x2014;&#x2014; end of agenda ——— <br>y",
			"new", "x<br>" + aStart + "<br>new<br>" + aEnd + " <br>y"},
		{"HTML: a lone start marker is the user's",
			"<p>Notes<br>" + aStart + "<br>old<br>more</p>", "new", "<p>Notes<br>" + aStart + "<br>old<br>more</p><br><br>" + aStart + "<br>new<br>" + aEnd},
		{"HTML: a lone marker as entities before the block",
			"<p>&#8212;&#8212;&#8212; 1:1 agenda (oneonone) &mdash;&mdash;&mdash; mine</p>" + aStart + "<br>old<br>" + aEnd, "new",
			"<p>&#8212;&#8212;&#8212; 1:1 agenda (oneonone) &mdash;&mdash;&mdash; mine</p>" + aStart + "<br>new<br>" + aEnd},
		{"HTML: end before start",
			"<p>" + aEnd + "</p><p>" + aStart + "</p>", "new", "<p>" + aEnd + "</p><p>" + aStart + "</p><br><br>" + aStart + "<br>new<br>" + aEnd},
		{"HTML description without a block", "Hello<br>world", "a\nb", "Hello<br>world<br><br>" + aStart + "<br>a<br>b<br>" + aEnd},
		{"HTML-looking answers in a plain description stay plain",
			"Plain\n\n" + aStart + "\n<b>bold</b> &amp;\n" + aEnd, "<b>bold</b> &amp;\nmore",
			"Plain\n\n" + aStart + "\n<b>bold</b> &amp;\nmore\n" + aEnd},
		{"plain marker line with text after it", "x\n" + aStart + " typed here\nold\n" + aEnd, "new", "x\n" + aStart + "\nnew\n" + aEnd},
		{"empty body", "x", "", "x\n\n" + aStart + "\n" + aEnd},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, changed := calendars.SetAgendaBlock(c.desc, c.body)
			if got != c.want {
				t.Fatalf("got\n%q\nwant\n%q", got, c.want)
			}
			if changed != (c.desc != c.want) {
				t.Errorf("changed = %v", changed)
			}
			again, changed := calendars.SetAgendaBlock(got, c.body)
			if again != got || changed {
				t.Errorf("second application changed it:\n%q", again)
			}
		})
	}
}

func TestAgendaBlock(t *testing.T) {
	cases := []struct {
		name, desc, body string
		ok               bool
	}{
		{"none", "just notes", "", false},
		{"plain", "x\n\n" + aStart + "\na\n\nb\n" + aEnd + "\ny", "a\n\nb", true},
		{"CRLF", "x\r\n" + aStart + "\r\na\r\nb\r\n" + aEnd, "a\nb", true},
		{"empty", aStart + "\n" + aEnd, "", true},
		{"lone start", "x " + aStart + "\na\nb\n\n", "", false},
		{"lone end", "x " + aEnd + "\na", "", false},
		{"nested", aStart + aStart + "a" + aEnd + aEnd, "", false},
		{"lone start before a block", aStart + " x\n" + aStart + "\na\n" + aEnd, "a", true},
		{"HTML", "x<br>" + aStart + "<br>Q&amp;A&nbsp;time<br><a href=\"https://x.org\">https://x.org</a><br>" + aEnd, "Q&A time\nhttps://x.org", true},
		{"HTML with source line breaks", "<div>" + aStart + "<br>\na<br>\n" + aEnd + "</div>", "a", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, ok := calendars.AgendaBlock(c.desc)
			if body != c.body || ok != c.ok {
				t.Errorf("got %q, %v; want %q, %v", body, ok, c.body, c.ok)
			}
		})
	}
}

func TestRemoveAgendaBlock(t *testing.T) {
	cases := []struct{ desc, want string }{
		{"Notes", "Notes"},
		{"Notes\n\n" + aStart + "\nx\n" + aEnd, "Notes"},
		{"Notes\n\n" + aStart + "\nx\n" + aEnd + "\nlater", "Notes\n\n\nlater"},
		{"a<br><br>" + aStart + "<br>x<br>" + aEnd + "<br>", "a"},
		{aStart + "\nx\n" + aEnd + "\n" + aStart + "\ny", "\n" + aStart + "\ny"}, // a lone start marker is the user's
	}
	for _, c := range cases {
		got, changed := calendars.RemoveAgendaBlock(c.desc)
		if got != c.want || changed != (c.desc != c.want) {
			t.Errorf("RemoveAgendaBlock(%q) = %q, %v; want %q", c.desc, got, changed, c.want)
		}
	}
	for _, d := range []string{"Notes", "Notes\n", "a<br>b"} {
		set, _ := calendars.SetAgendaBlock(d, "x")
		if got, _ := calendars.RemoveAgendaBlock(set); got != strings.TrimRight(d, "\n") {
			t.Errorf("remove(set(%q)) = %q", d, got)
		}
	}
}

// FuzzSetAgendaBlock checks two properties: setting a block twice gives
// what setting it once gave, and the user's text around a block is kept
// byte for byte.
func FuzzSetAgendaBlock(f *testing.F) {
	f.Add("Notes\n", "old", "new", "\nafter")
	f.Add("a<br>", "x\ny", "<b>&", "<br>b")
	f.Add("", "", "", "")
	f.Add("\r", "0", "0", "0")
	f.Add("x\r\n", "a", "b\r\nc", "\r\ny")
	f.Add(aStart+" <p>", aEnd, "———", "&mdash;")
	f.Fuzz(func(t *testing.T, prefix, body1, body2, suffix string) {
		once, _ := calendars.SetAgendaBlock(prefix, body2)
		twice, changed := calendars.SetAgendaBlock(once, body2)
		if twice != once || changed {
			t.Fatalf("not idempotent on %q:\nonce  %q\ntwice %q", prefix, once, twice)
		}
		if _, had := calendars.AgendaBlock(prefix); !had && !strings.HasPrefix(once, prefix) {
			t.Fatalf("appending changed the text: %q → %q", prefix, once)
		}
		if _, ok := calendars.AgendaBlock(once); !ok {
			t.Fatalf("no block after setting one: %q", once)
		}
		if strings.ContainsAny(prefix+suffix, "—&") {
			return // could hold a marker of its own
		}
		block, _ := calendars.SetAgendaBlock("", body1)
		desc := prefix + block + suffix
		got, _ := calendars.SetAgendaBlock(desc, body2)
		want, _ := calendars.SetAgendaBlock("", body2)
		if got != prefix+want+suffix {
			t.Fatalf("text around the block changed:\ndesc %q\ngot  %q\nwant %q", desc, got, prefix+want+suffix)
		}
	})
}

// TestSetAgendaBlockLinear: a long description full of things that look
// like the start of a tag, an entity or a marker costs no more than a scan.
func TestSetAgendaBlockLinear(t *testing.T) {
	for _, unit := range []string{"<a", "&#", "—", "——— 1:1", aStart + "\n", aStart + "\n" + aEnd + "\n", "<b><i>", "</b>", "<br>"} {
		d := strings.Repeat(unit, 200_000/len(unit))
		done := make(chan struct{})
		go func() {
			calendars.SetAgendaBlock(d, "x")
			calendars.SetAgendaBlock(d+aEnd, "x")
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%q repeated: still running after 5s", unit)
		}
	}
}

// canon renders components order-independently (see the ics tests).
func canon(cs []*ics.Component) []string {
	var out []string
	for _, c := range cs {
		var lines []string
		for _, p := range c.Props {
			var ps []string
			for k, v := range p.Params {
				ps = append(ps, k+"="+strings.Join(v, ","))
			}
			sort.Strings(ps)
			lines = append(lines, p.Name+";"+strings.Join(ps, ";")+":"+p.Value)
		}
		sort.Strings(lines)
		out = append(out, c.Name+"{"+strings.Join(lines, "|")+strings.Join(canon(c.Children), "")+"}")
	}
	sort.Strings(out)
	return out
}

func components(t *testing.T, data []byte) []string {
	t.Helper()
	roots, probs := ics.Parse(data)
	if len(probs) > 0 {
		t.Fatalf("%v\n%s", probs, data)
	}
	var out []string
	for _, r := range roots {
		if r.Name == "VCALENDAR" {
			out = append(out, canon(r.Children)...)
		} else {
			out = append(out, canon([]*ics.Component{r})...)
		}
	}
	return out
}

const occMaster = `UID:s1
DTSTAMP:20261101T000000Z
SUMMARY:Ada / Grace
ORGANIZER;CN=Ada:mailto:ada@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:grace@example.com
DESCRIPTION:Our standing 1:1\, see the doc.
SEQUENCE:3
X-MOZ-GENERATION:7
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Reminder
TRIGGER:-PT15M
END:VALARM
`

func occEvent(lines ...string) string {
	return "BEGIN:VEVENT\n" + occMaster + strings.Join(lines, "\n") + "\nEND:VEVENT\n"
}

func TestEditOccurrenceDescription(t *testing.T) {
	berlin := "DTSTART;TZID=Europe/Berlin:20261103T100000\nDTEND;TZID=Europe/Berlin:20261103T103000\nRRULE:FREQ=WEEKLY;COUNT=10"
	moved := "BEGIN:VEVENT\nUID:s1\nDTSTAMP:20261101T000000Z\nRECURRENCE-ID:20261117T090000Z\nDTSTART;TZID=Europe/Berlin:20261117T140000\nDTEND;TZID=Europe/Berlin:20261117T150000\nSUMMARY:moved\nDESCRIPTION:moved it\nEND:VEVENT\n"
	cases := []struct {
		name, ics, key string
		allDay         bool
		opt            calendars.ReadOptions
		want           []string // the edited override's lines, besides the master's
		oldDesc        string
	}{
		{name: "new override in the master's zone", ics: occEvent(berlin), key: "2026-11-17T09:00:00Z",
			want:    []string{"RECURRENCE-ID;TZID=Europe/Berlin:20261117T100000", "DTSTART;TZID=Europe/Berlin:20261117T100000", "DTEND;TZID=Europe/Berlin:20261117T103000"},
			oldDesc: "Our standing 1:1, see the doc."},
		{name: "after the DST change", ics: occEvent("DTSTART;TZID=America/New_York:20261026T090000\nDURATION:PT45M\nRRULE:FREQ=WEEKLY"), key: "2026-11-02T14:00:00Z",
			want:    []string{"RECURRENCE-ID;TZID=America/New_York:20261102T090000", "DTSTART;TZID=America/New_York:20261102T090000", "DTEND;TZID=America/New_York:20261102T094500"},
			oldDesc: "Our standing 1:1, see the doc."},
		{name: "UTC master", ics: occEvent("DTSTART:20261103T090000Z\nDTEND:20261103T093000Z\nRRULE:FREQ=WEEKLY"), key: "2026-11-17T09:00:00Z",
			want:    []string{"RECURRENCE-ID:20261117T090000Z", "DTSTART:20261117T090000Z", "DTEND:20261117T093000Z"},
			oldDesc: "Our standing 1:1, see the doc."},
		{name: "all-day", ics: occEvent("DTSTART;VALUE=DATE:20261103\nDTEND;VALUE=DATE:20261104\nRRULE:FREQ=WEEKLY"), key: "2026-11-17", allDay: true,
			want:    []string{"RECURRENCE-ID;VALUE=DATE:20261117", "DTSTART;VALUE=DATE:20261117", "DTEND;VALUE=DATE:20261118"},
			oldDesc: "Our standing 1:1, see the doc."},
		{name: "floating in the default zone", ics: occEvent("DTSTART:20261103T100000\nDTEND:20261103T103000\nRRULE:FREQ=WEEKLY"), key: "2026-11-17T15:00:00Z",
			opt:     calendars.ReadOptions{DefaultZone: mustZone(t, "America/New_York")},
			want:    []string{"RECURRENCE-ID:20261117T100000", "DTSTART:20261117T100000", "DTEND:20261117T103000"},
			oldDesc: "Our standing 1:1, see the doc."},
		{name: "existing moved override, RECURRENCE-ID in UTC", ics: occEvent(berlin) + moved, key: "2026-11-17T09:00:00Z", oldDesc: "moved it"},
		{name: "existing override named by a DATE", ics: occEvent(berlin) + strings.Replace(moved, "RECURRENCE-ID:20261117T090000Z", "RECURRENCE-ID;VALUE=DATE:20261117", 1),
			key: "2026-11-17T09:00:00Z", oldDesc: "moved it"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := []byte(wrap(c.ics))
			var seen string
			out, changed, err := setDescription(in, c.opt, "s1", c.key, c.allDay, func(old string) (string, bool) {
				seen = old
				return calendars.SetAgendaBlock(old, "agenda")
			})
			if err != nil || !changed {
				t.Fatalf("changed %v, err %v", changed, err)
			}
			if seen != c.oldDesc {
				t.Errorf("edit saw %q, want %q", seen, c.oldDesc)
			}
			checkEdited(t, in, out, c.key, c.allDay, c.opt, c.want)
		})
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// checkEdited checks that out is in with one override added (want: its
// times) or one override's DESCRIPTION changed (want nil), and that the
// series expands to the same occurrences apart from that description.
func checkEdited(t *testing.T, in, out []byte, key string, allDay bool, opt calendars.ReadOptions, want []string) {
	t.Helper()
	before, after := components(t, in), components(t, out)
	removed, added := minus(before, after), minus(after, before)
	roots, _ := ics.Parse(in)
	var exp *ics.Component
	if want == nil {
		if len(removed) != 1 {
			t.Fatalf("removed %q", removed)
		}
		exp = ics.Events(roots, "s1")[1].Clone()
	} else {
		if len(removed) != 0 {
			t.Fatalf("removed %q", removed)
		}
		exp = ics.Events(roots, "s1")[0].Clone()
		exp.Remove("RRULE", "DTSTART", "DTEND", "DURATION")
		extra, _ := ics.Parse([]byte("BEGIN:X\n" + strings.Join(want, "\n") + "\nEND:X\n"))
		exp.Props = append(exp.Props, extra[0].Props...)
	}
	desc, _ := calendars.SetAgendaBlock(ics.Text(exp.Prop("DESCRIPTION").Value), "agenda")
	exp.SetText("DESCRIPTION", desc)
	if w := canon([]*ics.Component{exp}); !slices.Equal(added, w) {
		t.Fatalf("added\n%q\nwant\n%q", added, w)
	}
	from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	b, a := expand(t, in, opt, from, to), expand(t, out, opt, from, to)
	if len(a) != len(b) {
		t.Fatalf("%d occurrences, was %d", len(a), len(b))
	}
	for i := range b {
		k := b[i].Key.Format(time.RFC3339)
		if allDay {
			k = b[i].Key.Format("2006-01-02")
		}
		if k == key {
			b[i].Description, _ = calendars.SetAgendaBlock(b[i].Description, "agenda")
			if !strings.Contains(a[i].Description, "agenda") {
				t.Errorf("occurrence %s: description %q", k, a[i].Description)
			}
		}
		if x, y := b[i], a[i]; !x.Key.Equal(y.Key) || !x.Start.Equal(y.Start) || !x.End.Equal(y.End) ||
			x.Description != y.Description || x.Summary != y.Summary || x.Status != y.Status || x.Moved != y.Moved {
			t.Errorf("occurrence %s changed:\n%+v\n%+v", k, x, y)
		}
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func expand(t *testing.T, data []byte, opt calendars.ReadOptions, from, to time.Time) []calendars.Occurrence {
	t.Helper()
	ss, probs := calendars.ReadICS([]calendars.File{{Name: "r.ics", Data: data}}, opt)
	if len(ss) != 1 || len(probs) > 0 {
		t.Fatalf("read: %d series, %v", len(ss), probs)
	}
	return ss[0].Expand(from, to)
}

func TestEditOccurrenceDescriptionRefuses(t *testing.T) {
	berlin := "DTSTART;TZID=Europe/Berlin:20261103T100000\nDTEND;TZID=Europe/Berlin:20261103T103000\nRRULE:FREQ=WEEKLY\nEXDATE;TZID=Europe/Berlin:20261110T100000"
	lone := "BEGIN:VEVENT\nUID:s1\nDTSTAMP:20261101T000000Z\nRECURRENCE-ID:20261117T090000Z\nDTSTART:20261117T130000Z\nEND:VEVENT"
	cases := []struct {
		name, ics, key string
		allDay         bool
		want           error
	}{
		{"an excluded date", occEvent(berlin), "2026-11-10T09:00:00Z", false, calendars.ErrNoOccurrence},
		{"not an instance", occEvent(berlin), "2026-11-17T09:30:00Z", false, calendars.ErrNoOccurrence},
		{"another UID", occEvent(berlin), "2026-11-17T09:00:00Z", false, calendars.ErrNoOccurrence},
		{"a date for a timed series", occEvent(berlin), "2026-11-17", true, calendars.ErrNoOccurrence},
		{"a bad key", occEvent(berlin), "tuesday", false, calendars.ErrNoOccurrence},
		{"only an override, for another occurrence", lone, "2026-11-24T09:00:00Z", false, calendars.ErrNotEditable},
		{"THISANDFUTURE", occEvent(berlin) + strings.Replace(lone, "RECURRENCE-ID", "RECURRENCE-ID;RANGE=THISANDFUTURE", 1), "2026-11-17T09:00:00Z", false, calendars.ErrNotEditable},
		{"lines the reader could not read", occEvent(berlin + "\nthis is no content line"), "2026-11-17T09:00:00Z", false, calendars.ErrNotEditable},
	}
	for _, c := range cases {
		uid := "s1"
		if c.name == "another UID" {
			uid = "s2"
		}
		_, _, err := setDescription([]byte(wrap(c.ics)), calendars.ReadOptions{}, uid, c.key, c.allDay, func(string) (string, bool) { return "x", true })
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestEditOccurrenceDescriptionUnchanged(t *testing.T) {
	in := []byte(wrap(occEvent("DTSTART:20261103T090000Z\nRRULE:FREQ=WEEKLY")))
	for _, edit := range []func(string) (string, bool){
		func(old string) (string, bool) { return "other", false },
		func(old string) (string, bool) { return old, true },
	} {
		out, changed, err := setDescription(in, calendars.ReadOptions{}, "s1", "2026-11-17T09:00:00Z", false, edit)
		if err != nil || changed || string(out) != string(in) {
			t.Errorf("changed %v, err %v, same bytes %v", changed, err, string(out) == string(in))
		}
	}
	// A lone override (a resource another server let through) is edited in place.
	lone := []byte(wrap("BEGIN:VEVENT\nUID:s1\nDTSTAMP:20261101T000000Z\nRECURRENCE-ID:20261117T090000Z\nDTSTART:20261117T130000Z\nEND:VEVENT"))
	out, changed, err := setDescription(lone, calendars.ReadOptions{}, "s1", "2026-11-17T09:00:00Z", false, func(string) (string, bool) { return "x", true })
	if err != nil || !changed || !strings.Contains(string(out), "DESCRIPTION:x\r\n") || strings.Count(string(out), "BEGIN:VEVENT") != 1 {
		t.Errorf("lone override: %v %v\n%s", changed, err, out)
	}
}

// TestEditOccurrenceDescriptionCorpus writes a block into the third
// occurrence of every recurring series in the real-world corpus: each
// edit adds or changes one component, keeps every other one, and leaves
// the series' occurrences as they were apart from that description.
// Resources the editor refuses (no master, lines it could not read) and
// series whose occurrence keys collide are skipped.
func TestEditOccurrenceDescriptionCorpus(t *testing.T) {
	requireCorpus(t)
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.ics"))
	edited := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		series, _ := calendars.ReadICS([]calendars.File{{Name: f, Data: data}}, calendars.ReadOptions{})
		for _, s := range series {
			from, to := s.Start.Add(-time.Hour), s.Start.AddDate(3, 0, 0)
			occs := s.Expand(from, to)
			if len(occs) < 3 || !s.Recurring() || s.Partial || !uniqueKeys(occs) {
				continue
			}
			key := occKeyOf(occs[2])
			out, changed, err := setDescription(data, calendars.ReadOptions{}, s.UID, key, s.AllDay, func(old string) (string, bool) {
				return calendars.SetAgendaBlock(old, "agenda")
			})
			if errors.Is(err, calendars.ErrNotEditable) || errors.Is(err, calendars.ErrNoOccurrence) && strings.Contains(s.UID, "#") {
				continue
			}
			if err != nil || !changed {
				t.Errorf("%s %s: changed %v, %v", f, key, changed, err)
				continue
			}
			edited++
			if added := minus(components(t, out), components(t, data)); len(added) != 1 || len(minus(components(t, data), components(t, out))) > 1 {
				t.Errorf("%s %s: components added %q", f, key, added)
			}
			after := expandUID(t, out, s.UID, from, to)
			for i, o := range occs {
				if i == 2 {
					o.Description, _ = calendars.SetAgendaBlock(o.Description, "agenda")
				}
				if a := after[i]; !a.Start.Equal(o.Start) || !a.End.Equal(o.End) || a.Status != o.Status || a.Description != o.Description {
					t.Errorf("%s %s: occurrence %d changed: %+v → %+v", f, s.UID, i, o, a)
				}
			}
		}
	}
	if edited < 100 {
		t.Errorf("only %d series edited", edited)
	}
}

func uniqueKeys(occs []calendars.Occurrence) bool {
	seen := map[time.Time]bool{}
	for _, o := range occs {
		if seen[o.Key] {
			return false
		}
		seen[o.Key] = true
	}
	return true
}

func occKeyOf(o calendars.Occurrence) string {
	if o.AllDay {
		return o.Key.Format("2006-01-02")
	}
	return o.Key.Format(time.RFC3339)
}

func expandUID(t *testing.T, data []byte, uid string, from, to time.Time) []calendars.Occurrence {
	t.Helper()
	series, _ := calendars.ReadICS([]calendars.File{{Name: "out.ics", Data: data}}, calendars.ReadOptions{})
	for _, s := range series {
		if s.UID == uid {
			return s.Expand(from, to)
		}
	}
	t.Fatalf("%s is gone", uid)
	return nil
}

// setDescription edits one occurrence's DESCRIPTION through
// EditOccurrenceText, the path the CalDAV writer takes.
func setDescription(resource []byte, opt calendars.ReadOptions, uid, key string, allDay bool, edit func(string) (string, bool)) ([]byte, bool, error) {
	return calendars.EditOccurrenceText(resource, opt, uid, key, allDay, calendars.TextEdit{Description: edit})
}
