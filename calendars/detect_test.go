package calendars_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars"
)

func TestDetect(t *testing.T) {
	base := "BEGIN:VEVENT\nUID:d\nDTSTART:20240101T100000Z\nRRULE:FREQ=WEEKLY\nORGANIZER:mailto:ada@example.com\n"
	att := func(extra string) string { return base + extra + "END:VEVENT" }
	rules := calendars.DefaultRules()
	custom := rules
	custom.ExcludeTitles = []*regexp.Regexp{regexp.MustCompile(`(?i)interview`)}
	custom.IgnoreAttendees = []string{"@notes.example.net"}
	strict := rules
	strict.IncludeTitles = []*regexp.Regexp{regexp.MustCompile(`1:1`)}
	cases := []struct {
		name  string
		body  string
		rules calendars.Rules
		want  bool
		why   string
	}{
		{"two people", att("ATTENDEE:mailto:grace@example.com\n"), rules, true, "2 people: ada@example.com, grace@example.com"},
		{"organizer listed as attendee too", att("ATTENDEE:mailto:ada@example.com\nATTENDEE:mailto:Grace@Example.com\n"), rules, true, "2 people"},
		{"room does not count", att("ATTENDEE:mailto:grace@example.com\nATTENDEE;CUTYPE=ROOM:mailto:r@example.com\n"), rules, true, "2 people"},
		{"google resource calendar does not count", att("ATTENDEE:mailto:grace@example.com\nATTENDEE:mailto:c_123@resource.calendar.google.com\n"), rules, true, "2 people"},
		{"declined attendee does not count", att("ATTENDEE:mailto:grace@example.com\nATTENDEE;PARTSTAT=DECLINED:mailto:linus@example.com\n"), rules, true, "2 people"},
		{"three people", att("ATTENDEE:mailto:grace@example.com\nATTENDEE:mailto:linus@example.com\n"), rules, false, "3 people"},
		{"alone", att(""), rules, false, "1 person: ada@example.com"},
		{"group", att("ATTENDEE;CUTYPE=GROUP:mailto:team@example.com\n"), rules, false, "team@example.com is a group"},
		{"not recurring", "BEGIN:VEVENT\nUID:d\nDTSTART:20240101T100000Z\nORGANIZER:mailto:ada@example.com\nATTENDEE:mailto:grace@example.com\nEND:VEVENT", rules, false, "not recurring"},
		{"cancelled series", att("STATUS:CANCELLED\nATTENDEE:mailto:grace@example.com\n"), rules, false, "cancelled"},
		{"opt-out marker", att("SUMMARY:Sync #no1on1\nATTENDEE:mailto:grace@example.com\n"), rules, false, "opt-out marker"},
		{"opt-in marker ignores optional attendees", att("SUMMARY:1:1 #1on1\nATTENDEE:mailto:grace@example.com\nATTENDEE;ROLE=OPT-PARTICIPANT:mailto:assistant@example.com\n"), rules, true, "opt-in marker"},
		{"excluded title", att("SUMMARY:Interview loop\nATTENDEE:mailto:grace@example.com\n"), custom, false, "exclude pattern"},
		{"ignored note taker", att("ATTENDEE:mailto:grace@example.com\nATTENDEE:mailto:bot@notes.example.net\n"), custom, true, "2 people"},
		{"include_titles not matched", att("SUMMARY:Coffee\nATTENDEE:mailto:grace@example.com\n"), strict, false, "include_titles"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, p := readAll(c.body)
			if len(s) != 1 {
				t.Fatalf("series %d, problems %v", len(s), p)
			}
			d := calendars.Detect(s[0], c.rules)
			if d.OneOnOne != c.want || !strings.Contains(d.Why, c.why) {
				t.Errorf("got (%v, %q), want (%v, …%q…)", d.OneOnOne, d.Why, c.want, c.why)
			}
		})
	}
}
