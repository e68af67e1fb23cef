package ics_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/oneonone/oneonone/calendars/ics"
	"github.com/oneonone/oneonone/calendars/testkit"
)

// canonical renders components so that two readings of the same content
// compare equal whatever the order of properties and components (servers
// such as Radicale reorder them) and however the lines were folded.
func canonical(cs []*ics.Component) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		var lines []string
		for _, p := range c.Props {
			var params []string
			for k, v := range p.Params {
				params = append(params, k+"="+strings.Join(v, ","))
			}
			sort.Strings(params)
			lines = append(lines, p.Name+";"+strings.Join(params, ";")+":"+p.Value)
		}
		sort.Strings(lines)
		parts[i] = "BEGIN:" + c.Name + "\n" + strings.Join(lines, "\n") + "\n" + canonical(c.Children) + "END:" + c.Name + "\n"
	}
	sort.Strings(parts)
	return strings.Join(parts, "")
}

func encode(t *testing.T, cs []*ics.Component) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := ics.Encode(&b, cs); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEncodeFoldsAt75OctetsOnRuneBoundaries(t *testing.T) {
	long := strings.Repeat("Grüße aus Köln — 東京 ", 20)
	c := &ics.Component{Name: "VEVENT", Props: []*ics.Prop{
		{Name: "DESCRIPTION", Value: ics.EscapeText(long + "\nsecond line")},
		{Name: "SUMMARY", Value: strings.Repeat("x", 75)},
		{Name: "LOCATION", Value: strings.Repeat("y", 76)},
	}}
	out := encode(t, []*ics.Component{c})
	if !bytes.HasSuffix(out, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(out, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatalf("not CRLF throughout:\n%q", out)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n")
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a character: %q", i+1, l)
		}
	}
	n := len(lines)
	if lines[n-5] != "SUMMARY:"+strings.Repeat("x", 67) || lines[n-4] != " xxxxxxxx" {
		t.Errorf("folding of an 83-octet line: %q", lines[n-5:n-3])
	}
	roots, probs := ics.Parse(out)
	if len(probs) > 0 || len(roots) != 1 {
		t.Fatalf("read back: %v", probs)
	}
	if got := ics.Text(roots[0].Prop("DESCRIPTION").Value); got != long+"\nsecond line" {
		t.Errorf("description read back as %q", got)
	}
	if got := roots[0].Prop("LOCATION").Value; got != strings.Repeat("y", 76) {
		t.Errorf("location read back as %q", got)
	}
}

func TestEncodeQuotesParameters(t *testing.T) {
	p := &ics.Prop{Name: "ATTENDEE", Value: "mailto:a@example.com", Params: map[string][]string{
		"CN":       {"Lovelace, Ada"},
		"PARTSTAT": {"ACCEPTED"},
		"X-NOTE":   {`say "hi"; bye`},
		"MEMBER":   {"mailto:g1@example.com", "mailto:g2@example.com"},
		"X-PLAIN":  {"a b"},
	}}
	out := string(encode(t, []*ics.Component{{Name: "VEVENT", Props: []*ics.Prop{p}}}))
	want := `ATTENDEE;CN="Lovelace, Ada";MEMBER="mailto:g1@example.com","mailto:g2@example.com";PARTSTAT=ACCEPTED;X-NOTE="say ^'hi^'; bye";X-PLAIN=a b:mailto:a@example.com`
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	if !strings.Contains(unfolded, want+"\r\n") {
		t.Errorf("got\n%s\nwant a line\n%s", unfolded, want)
	}
	roots, _ := ics.Parse([]byte(out))
	got := roots[0].Prop("ATTENDEE")
	if got.Param("CN") != "Lovelace, Ada" || len(got.Params["MEMBER"]) != 2 || got.Value != p.Value {
		t.Errorf("read back as %+v", got)
	}
}

func TestEncodeRefusesLineBreaks(t *testing.T) {
	for _, c := range []*ics.Component{
		{Name: "VEVENT", Props: []*ics.Prop{{Name: "SUMMARY", Value: "a\r\nEND:VEVENT"}}},
		{Name: "VEVENT", Props: []*ics.Prop{{Name: "ATTENDEE", Params: map[string][]string{"CN": {"x\ny"}}, Value: "mailto:a@b"}}},
		{Name: "VEVENT", Props: []*ics.Prop{{Name: "X:Y", Value: "1"}}},
		{Name: "V EVENT"},
	} {
		var b bytes.Buffer
		if err := ics.Encode(&b, []*ics.Component{c}); err == nil || b.Len() > 0 {
			t.Errorf("encoded %+v: %q, %v", c, b.String(), err)
		}
	}
}

// TestEncodeRoundTripsTheCorpus: every real-world file reads back, after
// encoding, as the same components, properties, parameters and values.
func TestEncodeRoundTripsTheCorpus(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "ics-corpus", "*", "*.ics")
	files, _ := filepath.Glob(corpus)
	if len(files) == 0 {
		testkit.NeedPeer(t, "the shared iCalendar corpus is not beside the repository", errors.New("no file matches "+corpus))
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		roots, _ := ics.Parse(data)
		again, probs := ics.Parse(encode(t, roots))
		if len(probs) > 0 {
			t.Errorf("%s: encoded output has problems: %v", name, probs)
		}
		if canonical(again) != canonical(roots) {
			t.Errorf("%s: changed by a round trip", name)
		}
	}
}
