package tz

import (
	"testing"
	"time"
)

func wall(s string) time.Time {
	t, err := time.Parse("20060102T150405", s)
	if err != nil {
		panic(err)
	}
	return t
}

// outlookCET is how Outlook writes Central European Time: both observances
// start 1601-01-01, which is not an onset of either rule.
func outlookCET(tzid string) Definition {
	return Definition{TZID: tzid, Observances: []Observance{
		{Start: wall("16010101T030000"), OffsetFrom: 7200, OffsetTo: 3600, RRule: "FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10"},
		{Daylight: true, Start: wall("16010101T020000"), OffsetFrom: 3600, OffsetTo: 7200, RRule: "FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3"},
	}}
}

// outlookEastern is node-ical's bad_ms_tz.ics: US Eastern under a custom name.
func outlookEastern(tzid string) Definition {
	return Definition{TZID: tzid, Observances: []Observance{
		{Start: wall("16010101T020000"), OffsetFrom: -4 * 3600, OffsetTo: -5 * 3600, RRule: "FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11"},
		{Daylight: true, Start: wall("16010101T020000"), OffsetFrom: -5 * 3600, OffsetTo: -4 * 3600, RRule: "FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3"},
	}}
}

func mustBuild(t *testing.T, def Definition) *time.Location {
	t.Helper()
	loc, err := FromDefinition(def)
	if err != nil {
		t.Fatalf("FromDefinition(%s): %v", def.TZID, err)
	}
	return loc
}

func checkOffsets(t *testing.T, loc *time.Location, want map[string]int) {
	t.Helper()
	for at, off := range want {
		if got := offsetAt(loc, at); got != off {
			t.Errorf("%s at %s: offset %d, want %d", loc, at, got, off)
		}
	}
}

// cetIn2024 pins the 2024 switches: 31 March and 27 October, 01:00 UTC.
var cetIn2024 = map[string]int{
	"2024-01-15T12:00:00Z": 3600, "2024-07-01T12:00:00Z": 7200,
	"2024-03-31T00:59:59Z": 3600, "2024-03-31T01:00:00Z": 7200,
	"2024-10-27T00:59:59Z": 7200, "2024-10-27T01:00:00Z": 3600,
}

func TestOutlookDefinition(t *testing.T) {
	loc := mustBuild(t, outlookCET("W. Europe Standard Time"))
	checkOffsets(t, loc, cetIn2024)
	// Outlook's 1601 DTSTART means "always": the rules apply from the first
	// generated year to the last.
	checkOffsets(t, loc, map[string]int{"1900-07-01T12:00:00Z": 7200, "2199-07-01T12:00:00Z": 7200})
	if loc.String() != "W. Europe Standard Time" {
		t.Errorf("name = %q", loc.String())
	}
	if name, _ := time.Date(2024, 7, 1, 0, 0, 0, 0, loc).Zone(); name != "+0200" {
		t.Errorf("generated abbreviation = %q, want +0200", name)
	}
}

func TestYear0001Definition(t *testing.T) {
	// eM Client (node-ical's vtimezone-year-0001-dtstart.ics).
	loc := mustBuild(t, Definition{TZID: "W. Europe Standard Time", Observances: []Observance{
		{Daylight: true, Name: "Mitteleuropäische Sommerzeit", Start: wall("00010325T020000"), OffsetFrom: 3600, OffsetTo: 7200, RRule: "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"},
		{Name: "Mitteleuropäische Zeit", Start: wall("00011028T030000"), OffsetFrom: 7200, OffsetTo: 3600, RRule: "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"},
	}})
	checkOffsets(t, loc, cetIn2024)
}

func TestCustomizedTimeZone(t *testing.T) {
	def := outlookEastern("Customized Time Zone")
	loc, iana, err := Resolve("Customized Time Zone", &def)
	if err != nil || iana != "" {
		t.Fatalf("Resolve = %q, %v", iana, err)
	}
	got := time.Date(2020, 8, 25, 10, 35, 0, 0, loc).UTC()
	if want := time.Date(2020, 8, 25, 14, 35, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("10:35 local = %v, want %v", got, want)
	}
	for _, tzid := range []string{"tzone://Microsoft/Custom", "Customized Time Zone 1", `"tzone://Microsoft/Custom"`} {
		def := outlookEastern(tzid)
		loc, iana, err := Resolve(tzid, &def)
		if err != nil || iana != "" || offsetAt(loc, "2020-08-25T14:35:00Z") != -4*3600 {
			t.Errorf("Resolve(%q) = %v, %q, %v", tzid, loc, iana, err)
		}
	}
}

func TestStandardNameWithOtherRules(t *testing.T) {
	// A customized zone that kept a standard name: its own rules win.
	def := outlookEastern("W. Europe Standard Time")
	loc, iana, err := Resolve(def.TZID, &def)
	if err != nil || iana != "" || offsetAt(loc, "2020-08-25T14:35:00Z") != -4*3600 {
		t.Errorf("Resolve(eastern rules named W. Europe) = %v, %q, %v", loc, iana, err)
	}
	// The same name with the real rules keeps the tz database zone.
	def = outlookCET("W. Europe Standard Time")
	if _, iana, err := Resolve(def.TZID, &def); err != nil || iana != "Europe/Berlin" {
		t.Errorf("Resolve(CET rules) = %q, %v; want Europe/Berlin", iana, err)
	}
	// khal lists 2014-2016 as RDATEs; after 2016 it says nothing, so that
	// must not count as disagreement.
	khal := Definition{TZID: "Europe_Berlin", Observances: []Observance{
		{Name: "CET", Start: wall("20141026T020000"), OffsetFrom: 7200, OffsetTo: 3600, RDates: []time.Time{wall("20151025T020000")}},
		{Daylight: true, Name: "CEST", Start: wall("20140330T030000"), OffsetFrom: 3600, OffsetTo: 7200, RDates: []time.Time{wall("20150329T030000"), wall("20160327T030000")}},
	}}
	if _, iana, err := Resolve(khal.TZID, &khal); err != nil || iana != "Europe/Berlin" {
		t.Errorf("Resolve(khal Europe_Berlin) = %q, %v; want Europe/Berlin", iana, err)
	}
	checkOffsets(t, mustBuild(t, khal), map[string]int{"2015-01-15T12:00:00Z": 3600, "2015-07-01T12:00:00Z": 7200})
	// Outlook writes a zone without daylight saving as two equal blocks
	// from 1601: that agrees with the tz database today.
	china := Definition{TZID: "China Standard Time", Observances: []Observance{
		{Start: wall("16010101T000000"), OffsetFrom: 8 * 3600, OffsetTo: 8 * 3600},
		{Daylight: true, Start: wall("16010101T000000"), OffsetFrom: 8 * 3600, OffsetTo: 8 * 3600},
	}}
	if _, iana, err := Resolve(china.TZID, &china); err != nil || iana != "Asia/Shanghai" {
		t.Errorf("Resolve(Outlook China Standard Time) = %q, %v; want Asia/Shanghai", iana, err)
	}
	// A definition that contradicts itself (khal's tz_windows_format.ics:
	// CET offsets, then a jump from +12) does not overrule the name.
	nz := Definition{TZID: "New Zealand Standard Time", Observances: []Observance{
		{Name: "CET", Start: wall("20191027T020000"), OffsetFrom: 7200, OffsetTo: 3600},
		{Daylight: true, Name: "CEST", Start: wall("20200329T030000"), OffsetFrom: 12 * 3600, OffsetTo: 13 * 3600},
	}}
	if _, iana, err := Resolve(nz.TZID, &nz); err != nil || iana != "Pacific/Auckland" {
		t.Errorf("Resolve(inconsistent NZ) = %q, %v; want Pacific/Auckland", iana, err)
	}
}

func TestFixedOffsetDefinition(t *testing.T) {
	// Google's definition from allenporter__ical/google_calendar_invalid_offset.ics.
	loc := mustBuild(t, Definition{TZID: "America/Argentina/Buenos_Aires", Observances: []Observance{
		{Name: "GMT-3", Start: wall("19700101T000000"), OffsetFrom: -3 * 3600, OffsetTo: -3 * 3600},
	}})
	checkOffsets(t, loc, map[string]int{"1960-01-01T00:00:00Z": -3 * 3600, "2003-02-03T20:00:00Z": -3 * 3600})
	if name, _ := time.Date(2003, 2, 3, 0, 0, 0, 0, loc).Zone(); name != "GMT-3" {
		t.Errorf("abbreviation = %q, want GMT-3", name)
	}

	loc = mustBuild(t, Definition{TZID: "India Standard Time", Observances: []Observance{
		{Name: "IST", Start: wall("16010101T000000"), OffsetFrom: 19800, OffsetTo: 19800},
	}})
	checkOffsets(t, loc, map[string]int{"1700-01-01T00:00:00Z": 19800, "2024-07-01T00:00:00Z": 19800})
	if name, _ := time.Date(2024, 7, 1, 0, 0, 0, 0, loc).Zone(); name != "IST" {
		t.Errorf("abbreviation = %q, want IST", name)
	}
	// One observance that changes the offset is still a fixed zone.
	loc = mustBuild(t, Definition{TZID: "IndianReunion", Observances: []Observance{
		{Name: "RET", Start: wall("19110601T000000"), OffsetFrom: 3*3600 + 41*60 + 52, OffsetTo: 4 * 3600, RDates: []time.Time{wall("19110601T000000")}},
	}})
	checkOffsets(t, loc, map[string]int{"1900-01-01T00:00:00Z": 4 * 3600, "2024-07-01T00:00:00Z": 4 * 3600})
}

func TestDuplicateObservances(t *testing.T) {
	def := outlookCET("dup")
	def.Observances = append(def.Observances, def.Observances...)
	checkOffsets(t, mustBuild(t, def), cetIn2024)
}

// TestHistoricalDefinition builds New York the way RFC 5545 writes it
// (several rule eras with UNTIL) and compares it with the tz database.
func TestHistoricalDefinition(t *testing.T) {
	def := Definition{TZID: "NY", Observances: []Observance{
		{Daylight: true, Name: "EDT", Start: wall("19670430T020000"), OffsetFrom: -18000, OffsetTo: -14400, RRule: "FREQ=YEARLY;BYMONTH=4;BYDAY=-1SU;UNTIL=19730429T070000Z"},
		{Name: "EST", Start: wall("19671029T020000"), OffsetFrom: -14400, OffsetTo: -18000, RRule: "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z"},
		{Daylight: true, Name: "EDT", Start: wall("19740106T020000"), OffsetFrom: -18000, OffsetTo: -14400, RDates: []time.Time{wall("19750223T020000")}},
		{Daylight: true, Name: "EDT", Start: wall("19760425T020000"), OffsetFrom: -18000, OffsetTo: -14400, RRule: "FREQ=YEARLY;BYMONTH=4;BYDAY=-1SU;UNTIL=19860427T070000Z"},
		{Daylight: true, Name: "EDT", Start: wall("19870405T020000"), OffsetFrom: -18000, OffsetTo: -14400, RRule: "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z"},
		{Daylight: true, Name: "EDT", Start: wall("20070311T020000"), OffsetFrom: -18000, OffsetTo: -14400, RRule: "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"},
		{Name: "EST", Start: wall("20071104T020000"), OffsetFrom: -14400, OffsetTo: -18000, RRule: "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"},
	}}
	ny, _ := time.LoadLocation("America/New_York")
	from, to := time.Date(1968, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	if d := disagreement(ny, mustBuild(t, def), from, to); d != 0 {
		t.Errorf("definition disagrees with America/New_York for %v between 1968 and 2040", d)
	}
}

func TestRuleVariants(t *testing.T) {
	tests := []struct{ name, std, dst string }{
		{"monthly", "FREQ=MONTHLY;BYMONTH=10;BYDAY=-1SU", "FREQ=MONTHLY;BYMONTH=3;BYDAY=-1SU"},
		{"monthday", "FREQ=YEARLY;BYMONTH=10;BYDAY=SU;BYMONTHDAY=-7,-6,-5,-4,-3,-2,-1", "FREQ=YEARLY;BYMONTH=3;BYDAY=SU;BYMONTHDAY=25,26,27,28,29,30,31"},
		{"no bymonth", "FREQ=YEARLY;BYDAY=-1SU", "FREQ=YEARLY;BYDAY=-1SU"},
		{"lower case", "freq=yearly;bymonth=10;byday=-1su", "freq=yearly;bymonth=3;byday=-1su"},
	}
	for _, tt := range tests {
		def := Definition{TZID: tt.name, Observances: []Observance{
			{Start: wall("19961027T030000"), OffsetFrom: 7200, OffsetTo: 3600, RRule: tt.std},
			{Daylight: true, Start: wall("19810329T020000"), OffsetFrom: 3600, OffsetTo: 7200, RRule: tt.dst},
		}}
		checkOffsets(t, mustBuild(t, def), cetIn2024)
	}
	// COUNT and a DATE UNTIL end the rule; the last observance stays.
	def := Definition{TZID: "count", Observances: []Observance{
		{Start: wall("20201025T030000"), OffsetFrom: 7200, OffsetTo: 3600, RRule: "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;COUNT=3"},
		{Daylight: true, Start: wall("20200329T020000"), OffsetFrom: 3600, OffsetTo: 7200, RRule: "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;UNTIL=20220327"},
	}}
	checkOffsets(t, mustBuild(t, def), map[string]int{"2022-07-01T00:00:00Z": 7200, "2023-07-01T00:00:00Z": 3600, "2030-07-01T00:00:00Z": 3600})
}

func TestBadDefinitions(t *testing.T) {
	tests := map[string]Definition{
		"no observances": {TZID: "x"},
		"huge offset":    {TZID: "x", Observances: []Observance{{OffsetFrom: 0, OffsetTo: 100 * 3600}, {Daylight: true, OffsetTo: 3600}}},
		"bad rrule":      {TZID: "x", Observances: []Observance{{RRule: "FREQ=SOMETIMES"}, {Daylight: true, OffsetTo: 3600}}},
		"daily switch":   {TZID: "x", Observances: []Observance{{Start: wall("20000101T000000"), RRule: "FREQ=DAILY"}, {Daylight: true, OffsetTo: 3600}}},
		"count zero":     {TZID: "x", Observances: []Observance{{RRule: "FREQ=WEEKLY;COUNT=0;INTERVAL=0"}, {Daylight: true, OffsetTo: 1}}},
		// khal's invalid_tzoffset.ics: "+5328" for the LMT offset +005328.
		"lmt typo": {TZID: "x", Observances: []Observance{{OffsetFrom: 53*3600 + 28*60, OffsetTo: 3600}, {Daylight: true, OffsetFrom: 3600, OffsetTo: 7200}}},
	}
	for name, def := range tests {
		if loc, err := FromDefinition(def); err == nil {
			t.Errorf("%s: got %v, want an error", name, loc)
		}
	}
	// Odd but readable: one-second offsets and a weekly rule with COUNT.
	loc := mustBuild(t, Definition{TZID: "odd", Observances: []Observance{
		{Start: wall("19700101T000000"), OffsetFrom: 1, OffsetTo: -1, RRule: "FREQ=WEEKLY;COUNT=2"},
		{Daylight: true, Start: wall("19700102T000000"), OffsetFrom: -1, OffsetTo: 1},
	}})
	checkOffsets(t, loc, map[string]int{"1970-01-05T00:00:00Z": 1, "1970-01-09T00:00:00Z": -1})
}

func TestParseOffset(t *testing.T) {
	tests := map[string]int{"+0100": 3600, "-0500": -18000, "-000115": -75, "+023017": 9017, "0200": 7200, "+01:00": 3600}
	for in, want := range tests {
		if got, err := ParseOffset(in); err != nil || got != want {
			t.Errorf("ParseOffset(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "+1", "+0160", "abcd", "+01000"} {
		if _, err := ParseOffset(in); err == nil {
			t.Errorf("ParseOffset(%q) succeeded", in)
		}
	}
}

// TestNthWeekday checks the direct computation of "2SU"/"-1SU" days against
// counting weekdays through the month.
func TestNthWeekday(t *testing.T) {
	for y := 1999; y <= 2030; y++ {
		for m := time.January; m <= time.December; m++ {
			first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
			n := first.AddDate(0, 1, -1).Day()
			for wd := time.Sunday; wd <= time.Saturday; wd++ {
				var days []int
				for d := 1; d <= n; d++ {
					if first.AddDate(0, 0, d-1).Weekday() == wd {
						days = append(days, d)
					}
				}
				for k := 1; k <= 5; k++ {
					want, wantLast := 0, 0
					if k <= len(days) {
						want, wantLast = days[k-1], days[len(days)-k]
					}
					r := rule{byDay: []weekdayNum{{n: k, wd: wd}}}
					if got, _ := r.nthWeekday(first.Weekday(), n); got != want {
						t.Fatalf("%d-%02d %d%s = %d, want %d", y, m, k, wd, got, want)
					}
					r.byDay[0].n = -k
					if got, _ := r.nthWeekday(first.Weekday(), n); got != wantLast {
						t.Fatalf("%d-%02d -%d%s = %d, want %d", y, m, k, wd, got, wantLast)
					}
				}
			}
		}
	}
}
