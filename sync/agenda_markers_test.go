package sync_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/ics"
	"github.com/oneonone/oneonone/calendars/testkit"
)

// TestWriteAgendaKeepsLoneMarkers: people typed or pasted markers into
// the description (a lone start, a lone end, an end before a start).
// Written through Radicale, their text stays byte for byte, the block is
// added after it, and the next write replaces only that block.
func TestWriteAgendaKeepsLoneMarkers(t *testing.T) {
	const uid, key = "weekly-1on1@example.com", "2026-12-08T09:00:00Z"
	for name, text := range map[string]string{
		"lone start": "My notes " + calendars.AgendaStart + " keep all of this\nand this line",
		"lone end":   "Notes\n" + calendars.AgendaEnd + "\nmore notes",
		"reversed":   calendars.AgendaEnd + " then " + calendars.AgendaStart + "\ntail",
	} {
		t.Run(name, func(t *testing.T) {
			w := newAgendaWorld(t)
			w.seed("weekly")
			w.thirdParty("weekly", func(s string) string {
				return strings.Replace(s, `DESCRIPTION:Our weekly 1:1.\nRunning notes: https://docs.example.com/d/abc?x=1&y=2\nPlease\, no laptops.`,
					"DESCRIPTION:"+ics.EscapeText(text), 1)
			})()
			w.sync()
			for _, block := range []string{"first agenda", "second agenda"} {
				if err := w.write(uid, key, block); err != nil {
					t.Fatal(err)
				}
				desc := occurrenceDescription(t, w.get("weekly").Data, key)
				want, _ := calendars.SetAgendaBlock("", block)
				if desc != text+"\n\n"+want {
					t.Errorf("after %q:\n%q\nwant\n%q", block, desc, text+"\n\n"+want)
				}
			}
		})
	}
}

// outlookFile is a real Outlook 2007 export of a weekly series with an
// HTML alternative description, from the shared corpus.
var outlookFile = filepath.Join("..", "..", "shared", "ics-corpus", "ical4j__ical4j", "2207678.ics")

// TestWriteAgendaOutlookAltDesc: an Outlook-origin event carries
// X-ALT-DESC;FMTTYPE=text/html, which Outlook shows instead of the
// DESCRIPTION. Through Radicale, the new override carries the block in
// both, the HTML document around it kept; a changed agenda replaces the
// block in both; the same agenda again writes nothing.
func TestWriteAgendaOutlookAltDesc(t *testing.T) {
	data, err := os.ReadFile(outlookFile)
	testkit.NeedPeer(t, "the shared iCalendar corpus is not beside the repository", err)
	const key = "2026-12-04T01:30:00Z" // a Friday, 09:30 in Kuala Lumpur
	uid := "040000008200E00074C5B7101A82E00800000000C0CA27559A38C9010000000000000000100000001E9AFCA9DCE51242AB306C53D7095851"
	w := newAgendaWorld(t)
	w.put("outlook.ics", string(data))
	w.sync()
	origDoc := altDesc(t, w.get("outlook").Data, uid, false)
	bodyEnd := strings.Index(origDoc, "</BODY>")
	if bodyEnd < 0 {
		t.Fatalf("the corpus file has no </BODY>:\n%s", origDoc)
	}
	for _, block := range []string{"Ada\n    Q&A <b>budget</b>", "Ada\n    hiring"} {
		if err := w.write(uid, key, block); err != nil {
			t.Fatal(err)
		}
		got := w.get("outlook").Data
		doc := altDesc(t, got, uid, true)
		html, _ := calendars.SetAgendaBlockHTML("", block)
		if doc != origDoc[:bodyEnd]+html+origDoc[bodyEnd:] {
			t.Errorf("override's X-ALT-DESC:\n%q", doc)
		}
		if body, ok := calendars.AgendaBlock(occurrenceDescriptionFrom(t, got, uid, key)); !ok || body != block {
			t.Errorf("override's DESCRIPTION block %q", body)
		}
		if master := altDesc(t, got, uid, false); master != origDoc {
			t.Errorf("the master's X-ALT-DESC changed:\n%q", master)
		}
	}
	w.srv.ResetRequests()
	if err := w.write(uid, key, "Ada\n    hiring"); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.puts(); n != 0 {
		t.Errorf("the same agenda again: %d PUTs", n)
	}
}

// altDesc returns the HTML alternative description of the master or of
// the one override of uid.
func altDesc(t *testing.T, data []byte, uid string, override bool) string {
	t.Helper()
	roots, probs := ics.Parse(data)
	if len(probs) > 0 {
		t.Fatalf("%v", probs)
	}
	for _, ev := range ics.Events(roots, uid) {
		if (ev.Prop("RECURRENCE-ID") != nil) != override {
			continue
		}
		p := ev.Prop("X-ALT-DESC")
		if p == nil || !strings.EqualFold(p.Param("FMTTYPE"), "text/html") {
			t.Fatalf("no X-ALT-DESC;FMTTYPE=text/html (override %v)", override)
		}
		return ics.Text(p.Value)
	}
	t.Fatalf("no event (override %v)", override)
	return ""
}

func occurrenceDescriptionFrom(t *testing.T, data []byte, uid, key string) string {
	t.Helper()
	roots, _ := ics.Parse(data)
	for _, ev := range ics.Events(roots, uid) {
		if ev.Prop("RECURRENCE-ID") != nil {
			if p := ev.Prop("DESCRIPTION"); p != nil {
				return ics.Text(p.Value)
			}
		}
	}
	t.Fatalf("no override of %s", key)
	return ""
}
