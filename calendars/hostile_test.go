package calendars_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// hostileFrom is the start of the window the hostile cases are expanded
// in: 30 days back from "now", as the sync engine does.
var hostileFrom = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

const hostileDays = 90

func hostileEvent(start time.Time, extra string) string {
	return "BEGIN:VEVENT\nUID:hostile@example.net\nDTSTAMP:20261101T000000Z\nDTSTART:" + start.UTC().Format("20060102T150405Z") +
		"\nORGANIZER:mailto:mallory@example.net\nATTENDEE:mailto:ada@example.com\n" + extra + "END:VEVENT"
}

// TestHostileRules: rules that repeat faster than any 1:1 are never one
// and say why in one line; their expansion stops at the cap (MaxPerDay a
// day) and says why, however many instances the rule has or how far
// before the window its COUNT began.
func TestHostileRules(t *testing.T) {
	ago := hostileFrom.AddDate(0, 0, 5) // 25 days before "now"
	limit := calendars.MaxPerDay * (hostileDays + 1)
	cases := []struct {
		name     string
		start    time.Time
		rule     string
		oneOnOne bool
		why      string // in Detect's one line
		count    int    // occurrences in the window; -1: exactly the cap
		cut      string // in ExpandBounded's reason, "" for none
	}{
		{"secondly", ago, "FREQ=SECONDLY", false, "not a 1:1: repeats every second (FREQ=SECONDLY)", -1, "more than"},
		{"secondly, a million", ago, "FREQ=SECONDLY;COUNT=1000000", false, "repeats every second", -1, "more than"},
		{"secondly, a million ending inside the window", hostileFrom.Add(-999_990 * time.Second), "FREQ=SECONDLY;COUNT=1000000", false, "every second", 10, ""},
		{"secondly, a million long before the window", hostileFrom.AddDate(-2, 0, 0), "FREQ=SECONDLY;COUNT=1000000", false, "every second", 0, ""},
		{"every 15 minutes", ago, "FREQ=MINUTELY;INTERVAL=15", false, "not a 1:1: repeats every 15 minutes (FREQ=MINUTELY;INTERVAL=15)", -1, "more than"},
		{"minutely COUNT with BYHOUR years ago walks no further than the budget", hostileFrom.AddDate(-10, 0, 0), "FREQ=MINUTELY;COUNT=5000000;BYHOUR=9,10,11,12", false, "every minute", 0, "instances to reach the window"},
		{"hourly forever", ago, "FREQ=HOURLY", false, "repeats every hour (FREQ=HOURLY) more than 4 times", -1, "more than"},
		{"hourly until far ahead", ago, "FREQ=HOURLY;INTERVAL=6;UNTIL=20270101T000000Z", false, "every 6 hours", 56*4 + 1, ""},
		{"hourly, three sessions", ago, "FREQ=HOURLY;COUNT=3", true, "2 people", 3, ""},
		// These keep DTSTART, which is always the first instance.
		{"hourly whose BYHOUR its INTERVAL never reaches", ago, "FREQ=HOURLY;INTERVAL=2;BYHOUR=1", false, "every 2 hours", 1, "never reaches a time"},
		{"secondly with BYSETPOS", ago, "FREQ=SECONDLY;BYSETPOS=2", false, "every second", 1, "BYSETPOS"},
		{"minutely whose BYMINUTE its INTERVAL never reaches", ago, "FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1", false, "every 2 minutes", 1, "never reaches"},
		{"february 30th", ago, "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30,31", true, "2 people", 1, "selects no day of any year"},
		{"june 1st of the year", ago, "FREQ=DAILY;BYMONTH=6;BYYEARDAY=1", true, "2 people", 1, "selects no day of any year"},
		{"the tenth monday of a month", ago, "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=10", true, "2 people", 1, "beyond the instances of any MONTHLY period"},
		{"the fifth monday of a month exists", ago, "FREQ=MONTHLY;BYDAY=5MO", true, "2 people", 2, ""},
		{"yearly, every second of every day", ago, "FREQ=YEARLY;BYYEARDAY=" + numbers(1, 366) + ";BYHOUR=" + numbers(0, 23) + ";BYMINUTE=" + numbers(0, 59) + ";BYSECOND=" + numbers(0, 59),
			false, "repeats up to 86400 times a day", 1, "has up to 31622400 instances in one YEARLY period, more than 100000"},
		{"daily, every hour of the day", ago, "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", false, "repeats up to 24 times a day", -1, "more than"},
		{"daily, twice a day", hostileFrom.Add(9 * time.Hour), "FREQ=DAILY;BYHOUR=9,17", true, "2 people", 2 * hostileDays, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, p := readAll(hostileEvent(c.start, "RRULE:"+c.rule+"\n"))
			if len(s) != 1 {
				t.Fatalf("series %d, problems %v", len(s), p)
			}
			d := calendars.Detect(s[0], calendars.DefaultRules())
			if d.OneOnOne != c.oneOnOne || !strings.Contains(d.Why, c.why) {
				t.Errorf("detect: (%v, %q), want (%v, …%q…)", d.OneOnOne, d.Why, c.oneOnOne, c.why)
			}
			occ, cut := s[0].ExpandBounded(hostileFrom, hostileFrom.AddDate(0, 0, hostileDays))
			want := c.count
			if want < 0 {
				want = limit
			}
			if len(occ) != want {
				t.Errorf("%d occurrences, want %d (cap %d); cut %q", len(occ), want, limit, cut)
			}
			if (c.cut == "") != (cut == "") || !strings.Contains(cut, c.cut) {
				t.Errorf("cut %q, want …%q…", cut, c.cut)
			}
		})
	}
}

// numbers lists the numbers from a to b, for a BYxxx part.
func numbers(a, b int) string {
	var out []string
	for i := a; i <= b; i++ {
		out = append(out, fmt.Sprint(i))
	}
	return strings.Join(out, ",")
}

// TestSkippedCountIsExact: skipping a COUNT rule ahead by arithmetic
// gives the same instances as walking it.
func TestSkippedCountIsExact(t *testing.T) {
	start := hostileFrom.Add(-999_990 * time.Second)
	s, _ := readAll(hostileEvent(start, "RRULE:FREQ=SECONDLY;COUNT=1000000\n"))
	occ := s[0].Expand(hostileFrom, hostileFrom.AddDate(0, 0, 1))
	if len(occ) != 10 || !occ[0].Start.Equal(hostileFrom) || !occ[9].Start.Equal(hostileFrom.Add(9*time.Second)) {
		t.Fatalf("got %d occurrences %v…, want the last 10 of the COUNT from %s", len(occ), occ[:min(2, len(occ))], hostileFrom)
	}
}

// TestHostileFields: megabytes in any field are cut to a limit and
// named in a problem; the event is still read, and other events in the
// file are not affected.
func TestHostileFields(t *testing.T) {
	mb := strings.Repeat("x", 1<<20)
	weekly := "RRULE:FREQ=WEEKLY\n"
	many := strings.Repeat("ATTENDEE:mailto:someone@example.org\n", 50_000)
	deep := strings.Repeat("BEGIN:X\n", 100_000) + "SUMMARY:deep\n" + strings.Repeat("END:X\n", 100_000)
	cases := []struct {
		name    string
		extra   string
		problem string // in a problem marked as a limit
		check   func(*calendars.Series) error
	}{
		{"megabyte summary", weekly + "SUMMARY:" + mb + "\n", "SUMMARY is 1.0 MiB, over the limit of 1.0 KiB", func(s *calendars.Series) error {
			return wantLen("summary", s.Summary, calendars.MaxTextBytes)
		}},
		{"megabyte location", weekly + "LOCATION:" + mb + "\n", "LOCATION is 1.0 MiB", func(s *calendars.Series) error {
			return wantLen("location", s.Details.Location, calendars.MaxTextBytes)
		}},
		{"megabyte description", weekly + "DESCRIPTION:" + mb + "\n", "DESCRIPTION is 1.0 MiB, over the limit of 64.0 KiB", func(s *calendars.Series) error {
			return wantLen("description", s.Description, calendars.MaxDescriptionBytes)
		}},
		{"megabyte attendee name", weekly + "ATTENDEE;CN=" + mb + ":mailto:grace@example.com\n", "ATTENDEE name (CN) is over the limit of 1.0 KiB", func(s *calendars.Series) error {
			return wantLen("name", s.Attendees[1].Name, calendars.MaxTextBytes)
		}},
		{"50,000 attendees", weekly + many, "50001 attendees, over the limit of 500", func(s *calendars.Series) error {
			if len(s.Attendees) != calendars.MaxAttendees {
				return fmt.Errorf("%d attendees kept, want %d", len(s.Attendees), calendars.MaxAttendees)
			}
			d := calendars.Detect(s, calendars.DefaultRules())
			if d.OneOnOne || d.Why != "not a 1:1: 50001 attendees, more than the 500 read" {
				return fmt.Errorf("detect (%v, %q)", d.OneOnOne, d.Why)
			}
			return nil
		}},
		{"a thousand RRULEs", strings.Repeat("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\n", 1000), "1000 RRULEs, over the limit of 4", func(s *calendars.Series) error {
			if len(s.Rules) != calendars.MaxRules {
				return fmt.Errorf("%d rules kept, want %d", len(s.Rules), calendars.MaxRules)
			}
			return nil
		}},
		{"a BYMONTHDAY of a million entries", "RRULE:FREQ=MONTHLY;BYMONTHDAY=" + strings.Repeat("1,", 500_000) + "2\n", "", func(s *calendars.Series) error {
			if occ := s.Expand(hostileFrom, hostileFrom.AddDate(0, 0, 60)); len(occ) != 4 {
				return fmt.Errorf("%d occurrences, want the 1st and 2nd of two months", len(occ))
			}
			return nil
		}},
		{"megabyte TZID", "RRULE:FREQ=WEEKLY\nEXDATE;TZID=" + mb + ":20261108T000000\n", "EXDATE: TZID of 1.0 MiB is over the limit of 256 bytes; read as UTC", func(s *calendars.Series) error {
			if len(s.ExDates) != 1 || !s.ExDates[0].T.Equal(hostileFrom.AddDate(0, 0, 7)) {
				return fmt.Errorf("the EXDATE is not read as floating: %v", s.ExDates)
			}
			return nil
		}},
		{"deep nesting", weekly + deep, "nested more than 8 components deep", func(s *calendars.Series) error {
			if d := calendars.Detect(s, calendars.DefaultRules()); !d.OneOnOne || s.Summary != "" {
				return fmt.Errorf("the event around the nesting is not read as without it: %q, summary %q", d.Why, s.Summary)
			}
			return nil
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			series, probs := readAll(hostileEvent(hostileFrom, c.extra) + "\nBEGIN:VEVENT\nUID:other\nDTSTART:20261102T100000Z\nEND:VEVENT")
			if len(series) != 2 {
				t.Fatalf("%d series, want the hostile one and the other; problems %v", len(series), probs)
			}
			if c.problem != "" && !hasLimitProblem(probs, c.problem) {
				t.Errorf("no limit problem naming the object with %q; got %v", c.problem, clip(probs))
			}
			if err := c.check(series[0]); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestHugeEventIsSkipped: a VEVENT over MaxComponentBytes is not read at
// all; the problem names its UID and the limit, and the rest of the file
// is read.
func TestHugeEventIsSkipped(t *testing.T) {
	body := hostileEvent(hostileFrom, "DESCRIPTION:"+strings.Repeat("y", calendars.MaxComponentBytes)+"\n") +
		"\nBEGIN:VEVENT\nUID:other\nDTSTART:20261102T100000Z\nEND:VEVENT"
	series, probs := readAll(body)
	if len(series) != 1 || series[0].UID != "other" {
		t.Fatalf("series %d (%v), want only the other one", len(series), series)
	}
	if !hasLimitProblem(probs, "VEVENT is 4.0 MiB, over the limit of 4.0 MiB for one event; skipped") || probs[0].UID != "hostile@example.net" {
		t.Errorf("problems %v", clip(probs))
	}
}

// TestHugeUIDIsSkipped: a UID cannot be cut (it is the event's identity),
// so an event whose UID is over the limit is not read.
func TestHugeUIDIsSkipped(t *testing.T) {
	series, probs := readAll("BEGIN:VEVENT\nUID:" + strings.Repeat("u", 1<<20) + "\nDTSTART:20261102T100000Z\nRRULE:FREQ=WEEKLY\nEND:VEVENT\n" +
		"BEGIN:VEVENT\nUID:other\nDTSTART:20261102T100000Z\nEND:VEVENT")
	if len(series) != 1 || series[0].UID != "other" {
		t.Fatalf("%d series, want only the other one", len(series))
	}
	if len(probs) != 1 || !probs[0].Limit || !strings.Contains(probs[0].Message, "UID is 1.0 MiB, over the limit of 1.0 KiB; event skipped") || len(probs[0].UID) > 100 {
		t.Errorf("problems %.300v", probs)
	}
}

// TestHugeTimeZone: a VTIMEZONE with more onsets than any zone's history
// is read up to the limit, which a problem names.
func TestHugeTimeZone(t *testing.T) {
	var rdates strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&rdates, "BEGIN:DAYLIGHT\nDTSTART:%d0301T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT\n", 3000+i)
	}
	body := "BEGIN:VTIMEZONE\nTZID:Bomb\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nEND:STANDARD\n" +
		rdates.String() + "END:VTIMEZONE\n" + "BEGIN:VEVENT\nUID:z\nDTSTART;TZID=Bomb:20261102T100000\nEND:VEVENT"
	series, probs := readAll(body)
	if len(series) != 1 || !series[0].Start.Equal(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("series %v", series)
	}
	found := false
	for _, p := range probs {
		found = found || (p.Limit && strings.Contains(p.Message, "VTIMEZONE Bomb has more than 2000 onsets"))
	}
	if !found {
		t.Errorf("no problem names the limit: %.300v", probs)
	}
}

// TestLongFoldedDescriptionIsReadWhole: a folded value of a megabyte is
// joined back exactly (the unfolding is linear; see BenchmarkInspect).
func TestLongFoldedDescriptionIsReadWhole(t *testing.T) {
	text := strings.Repeat("abcdefghij", 6000) // 60,000 bytes, under the description limit
	var folded strings.Builder
	for i := 0; i < len(text); i += 70 {
		if i > 0 {
			folded.WriteString("\n ")
		}
		folded.WriteString(text[i:min(i+70, len(text))])
	}
	s, p := readAll(hostileEvent(hostileFrom, "DESCRIPTION:"+folded.String()+"\n"))
	if len(s) != 1 || s[0].Description != text {
		t.Fatalf("description not read back whole (%d bytes); problems %v", len(s[0].Description), clip(p))
	}
}

func wantLen(what, got string, n int) error {
	if len(got) != n {
		return fmt.Errorf("%s is %d bytes, want it cut to %d", what, len(got), n)
	}
	return nil
}

func hasLimitProblem(probs []calendars.Problem, fragment string) bool {
	for _, p := range probs {
		if p.Limit && p.UID == "hostile@example.net" && strings.Contains(p.Message, fragment) {
			return true
		}
		if p.Limit && strings.Contains(p.Message, fragment) && strings.Contains(fragment, "nested") {
			return true // the parser knows lines, not UIDs
		}
	}
	return false
}

func clip(probs []calendars.Problem) []calendars.Problem {
	return probs[:min(5, len(probs))]
}

// TestManyExDates: past a few, EXDATEs are looked up in sets; both kinds
// (an instant, a DATE that excludes that local day) still exclude.
func TestManyExDates(t *testing.T) {
	var ex strings.Builder
	for i := 0; i < 40; i += 2 {
		day := hostileFrom.AddDate(0, 0, 7*i).Add(10 * time.Hour)
		if i%4 == 0 {
			fmt.Fprintf(&ex, "EXDATE:%s\n", day.Format("20060102T150405Z"))
		} else {
			fmt.Fprintf(&ex, "EXDATE;VALUE=DATE:%s\n", day.Format("20060102"))
		}
	}
	s, _ := readAll(hostileEvent(hostileFrom.Add(10*time.Hour), "RRULE:FREQ=WEEKLY;COUNT=40\n"+ex.String()))
	occ := s[0].Expand(hostileFrom, hostileFrom.AddDate(1, 0, 0))
	if len(occ) != 20 {
		t.Fatalf("%d occurrences, want the 20 odd weeks", len(occ))
	}
	for _, o := range occ {
		if w := int(o.Start.Sub(hostileFrom).Hours()) / (24 * 7); w%2 == 0 {
			t.Errorf("week %d (%s) was excluded", w, o.Start)
		}
	}
}
