package calendars_test

import (
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/ics"
)

// outlookDoc is the HTML alternative description Outlook writes.
const outlookDoc = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2//EN\">\n<HTML>\n<HEAD>\n<TITLE></TITLE>\n</HEAD>\n<BODY>\n" +
	"<P DIR=LTR><SPAN LANG=\"en-us\">Bring the <B>roadmap</B> &amp; notes</SPAN></P>\n\n</BODY>\n</HTML>"

func TestSetAgendaBlockHTML(t *testing.T) {
	bodyEnd := strings.Index(outlookDoc, "</BODY>")
	cases := []struct{ name, doc, body, want string }{
		{"inserted before </BODY>", outlookDoc, "Q&A <b>\nsecond",
			outlookDoc[:bodyEnd] + aStart + "<br>Q&amp;A &lt;b&gt;<br>second<br>" + aEnd + outlookDoc[bodyEnd:]},
		{"no body: appended", "<p>Hi</p>", "x", "<p>Hi</p>" + aStart + "<br>x<br>" + aEnd},
		{"inline text before: a line break first", "<body>Hi</body>", "x", "<body>Hi<br>" + aStart + "<br>x<br>" + aEnd + "</body>"},
		{"replaced, with a line break after the start marker",
			"<body><p>mine</p>" + aStart + "\n<br>old<br>" + aEnd + "\n</body>", "new",
			"<body><p>mine</p>" + aStart + "<br>new<br>" + aEnd + "\n</body>"},
		{"a lone marker in the people's HTML is kept",
			"<body><p>" + aStart + " mine</p></body>", "x",
			"<body><p>" + aStart + " mine</p>" + aStart + "<br>x<br>" + aEnd + "</body>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, changed := calendars.SetAgendaBlockHTML(c.doc, c.body)
			if got != c.want || !changed {
				t.Fatalf("got\n%q\nwant\n%q", got, c.want)
			}
			if again, changed := calendars.SetAgendaBlockHTML(got, c.body); again != got || changed {
				t.Errorf("second application changed it:\n%q", again)
			}
			if body, ok := calendars.AgendaBlock(got); !ok || body != strings.TrimRight(c.body, "\n") {
				t.Errorf("block %q, %v", body, ok)
			}
		})
	}
	set, _ := calendars.SetAgendaBlockHTML(outlookDoc, "x")
	if got, _ := calendars.RemoveAgendaBlockHTML(set); got != outlookDoc {
		t.Errorf("removed: %q", got)
	}
}

// TestEditOccurrenceTextAltDesc: an Outlook master with X-ALT-DESC gets a
// new override whose DESCRIPTION and X-ALT-DESC both carry the block, the
// user's text and HTML kept; the master is left alone.
func TestEditOccurrenceTextAltDesc(t *testing.T) {
	alt := "X-ALT-DESC;FMTTYPE=text/html:" + ics.EscapeText(outlookDoc)
	in := []byte(wrap(occEvent("DTSTART:20261103T090000Z\nDTEND:20261103T093000Z\nRRULE:FREQ=WEEKLY", alt)))
	edit := calendars.TextEdit{
		Description: func(old string) (string, bool) { return calendars.SetAgendaBlock(old, "topics") },
		HTML:        func(old string) (string, bool) { return calendars.SetAgendaBlockHTML(old, "topics") },
	}
	out, changed, err := calendars.EditOccurrenceText(in, calendars.ReadOptions{}, "s1", "2026-11-17T09:00:00Z", false, edit)
	if err != nil || !changed {
		t.Fatalf("changed %v, err %v", changed, err)
	}
	roots, _ := ics.Parse(out)
	evs := ics.Events(roots, "s1")
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	if p := evs[0].Prop("X-ALT-DESC"); p == nil || ics.Text(p.Value) != outlookDoc {
		t.Errorf("the master's HTML changed: %v", p)
	}
	p := evs[1].Prop("X-ALT-DESC")
	if p == nil || p.Param("FMTTYPE") != "text/html" {
		t.Fatalf("override without its HTML description: %v", p)
	}
	doc := ics.Text(p.Value)
	if body, ok := calendars.AgendaBlock(doc); !ok || body != "topics" || !strings.HasPrefix(doc, outlookDoc[:strings.Index(outlookDoc, "</BODY>")]) {
		t.Errorf("override's HTML:\n%s", doc)
	}
	if body, ok := calendars.AgendaBlock(ics.Text(evs[1].Prop("DESCRIPTION").Value)); !ok || body != "topics" {
		t.Errorf("override's description: %q", evs[1].Prop("DESCRIPTION").Value)
	}
	again, changed, err := calendars.EditOccurrenceText(out, calendars.ReadOptions{}, "s1", "2026-11-17T09:00:00Z", false, edit)
	if err != nil || changed || string(again) != string(out) {
		t.Errorf("the same block again: changed %v, %v", changed, err)
	}
}
