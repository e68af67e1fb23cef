package tz

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestResolveIANA(t *testing.T) {
	tests := []struct{ tzid, want string }{
		{"Europe/Berlin", "Europe/Berlin"},
		{"US/Eastern", "US/Eastern"},
		{"Etc/GMT+5", "Etc/GMT+5"},
		{"UTC", "UTC"},
		{"America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"},
		{`"Europe/Warsaw"`, "Europe/Warsaw"},
		{"  Europe/Paris  ", "Europe/Paris"},
		{"/mozilla.org/20050126_1/Europe/Berlin", "Europe/Berlin"},
		{"/mozilla.org/20070129_1/America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"},
		{"/softwarestudio.org/Olson_20011030_5/America/New_York", "America/New_York"},
		{"/softwarestudio.org/Tzfile/America/Chicago", "America/Chicago"},
		{"/citadel.org/20190914_1/Europe/Paris", "Europe/Paris"},
		{"/freeassociation.sourceforge.net/Tzfile/Europe/Vienna", "Europe/Vienna"},
		{"Europe/London:", "Europe/London"},
		{`"Europe/Berlin:20200609T090000`, "Europe/Berlin"},
		// Exporters that replace the slash.
		{"Europe_Berlin", "Europe/Berlin"},
		{"America_New_York", "America/New_York"},
		{"US-Eastern", "US/Eastern"},
		{"America-Chicago", "America/Chicago"},
		// Not a zone, but the city is.
		{"Germany/Berlin", "Europe/Berlin"},
	}
	for _, tt := range tests {
		loc, iana, err := Resolve(tt.tzid, nil)
		if err != nil || iana != tt.want || loc == nil {
			t.Errorf("Resolve(%q) = %v, %q, %v; want %q", tt.tzid, loc, iana, err, tt.want)
		}
	}
	loc, _, _ := Resolve("Etc/GMT+5", nil)
	if off := offsetAt(loc, "2024-07-01T12:00:00Z"); off != -5*3600 {
		t.Errorf("Etc/GMT+5 offset = %d, want -5h (POSIX sign)", off)
	}
}

func TestResolveWindowsIDs(t *testing.T) {
	tests := []struct{ tzid, want string }{
		{"W. Europe Standard Time", "Europe/Berlin"},
		{"Pacific Standard Time", "America/Los_Angeles"},
		{"Pacific Standard Time:", "America/Los_Angeles"}, // Thunderbird
		{"GMT Standard Time", "Europe/London"},
		{"India Standard Time", "Asia/Kolkata"},
		{"eastern standard time", "America/New_York"},
		{`"W. Europe Standard Time:20200609T090000`, "Europe/Berlin"}, // a swallowed closing quote
		{"tzone://Microsoft/Utc", "Etc/UTC"},
		{"UTC+12", "Etc/GMT-12"},
		{"Mexico Standard Time 2", "America/Chihuahua"}, // legacy id
	}
	for _, tt := range tests {
		if _, iana, err := Resolve(tt.tzid, nil); err != nil || iana != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.tzid, iana, err, tt.want)
		}
	}
}

func TestWindowsTableLoads(t *testing.T) {
	if len(windowsZones) < 135 {
		t.Errorf("windowsZones has %d ids, CLDR has about 140", len(windowsZones))
	}
	for _, table := range []map[string]string{windowsZones, legacyWindowsZones} {
		for id, want := range table {
			if _, ok := loadIANA(id); ok {
				want = id // "UTC" is a tz database name as well
			}
			loc, iana, err := Resolve(id, nil)
			if err != nil || iana != want || loc.String() != want {
				t.Errorf("Resolve(%q) = %v, %q, %v; want %q", id, loc, iana, err, want)
			}
		}
	}
}

func TestResolveDisplayNames(t *testing.T) {
	tests := []struct{ tzid, want string }{
		{"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"},
		{"(GMT+01.00) Amsterdam / Berlin / Bern / Rome / Stockholm / Vienna", "Europe/Berlin"},
		{`"(UTC-05:00) Eastern Time (US & Canada)"`, "America/New_York"},
		{"(UTC-05:00) Eastern Time (US and Canada)", "America/New_York"},
		{"(UTC-03:00) Brasília", "America/Sao_Paulo"},
		{`(UTC+07:00) Bangkok\, Hanoi\, Jakarta`, "Asia/Bangkok"},
		{"(GMT+10:00) Canberra, Melbourne, Sydney", "Australia/Sydney"},
		{"Canberra, Melbourne, Sydney", "Australia/Sydney"},
		{"Kuala Lumpur, Singapore", "Asia/Singapore"},
		{"Pacific Time (US & Canada), Tijuana", "America/Los_Angeles"},
		{"Greenwich Mean Time:Dublin; Edinburgh; Lisbon; London", "Europe/London"},
		// Not in the table: the cities decide, and must keep the offset.
		{"(UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien", "Europe/Amsterdam"},
		{"(UTC+02:00) Helsinki, Kiew, Riga", "Europe/Helsinki"},
		{"(UTC+05:30) Nowhere, Kolkata", "Asia/Kolkata"},
		{"(UTC+01:00) Zürich", "Europe/Zurich"},
	}
	for _, tt := range tests {
		if _, iana, err := Resolve(tt.tzid, nil); err != nil || iana != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.tzid, iana, err, tt.want)
		}
	}
}

// TestDisplayTable guards the table against typos: no two labels may reduce
// to the same key with different zones, and each zone must observe the
// label's offset, except where the place has changed its offset since the
// label was written.
func TestDisplayTable(t *testing.T) {
	moved := map[string]bool{
		"Greenland": true, "Volgograd": true, "Amman": true, "Damascus": true,
		"Asuncion": true, "Chihuahua, La Paz, Mazatlan - Old": true,
	}
	seen := map[string]string{}
	for label, iana := range displayNames {
		off, ok, body := splitDisplay(label)
		if !ok {
			t.Errorf("%q: no offset prefix", label)
		}
		key := displayKey(body)
		if prev, dup := seen[key]; dup && prev != iana {
			t.Errorf("%q: key %q maps to %s and %s", label, key, prev, iana)
		}
		seen[key] = iana
		loc, found := loadIANA(iana)
		if !found {
			t.Errorf("%q: %s does not load", label, iana)
			continue
		}
		if !moved[body] && !observes(loc, off) {
			t.Errorf("%q: %s does not observe %+d s", label, iana, off)
		}
	}
}

func TestResolveOffsetNames(t *testing.T) {
	tests := []struct {
		tzid string
		want int
	}{
		{"UTC+01", 3600},
		{"GMT-0530", -(5*3600 + 30*60)},
		{"UTC+05:45", 5*3600 + 45*60},
		// An unknown place: the offset prefix is the best reading left.
		{"(UTC+09:00) Nowhere", 9 * 3600},
	}
	for _, tt := range tests {
		loc, iana, err := Resolve(tt.tzid, nil)
		if err != nil || iana != "" {
			t.Errorf("Resolve(%q) = %q, %v; want a fixed zone", tt.tzid, iana, err)
			continue
		}
		if off := offsetAt(loc, "2024-07-01T12:00:00Z"); off != tt.want {
			t.Errorf("Resolve(%q) offset = %d, want %d", tt.tzid, off, tt.want)
		}
	}
}

func TestResolveUnknown(t *testing.T) {
	for _, tzid := range []string{"foo", "", "Customized Time Zone", "Mitteleuropäische Zeit"} {
		_, _, err := Resolve(tzid, nil)
		if err == nil || !strings.Contains(err.Error(), `"`+tzid+`"`) {
			t.Errorf("Resolve(%q) error = %v, want one naming the TZID", tzid, err)
		}
	}
}

func TestResolveConcurrent(t *testing.T) {
	def := outlookCET("Customized Time Zone")
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				tzid := []string{"W. Europe Standard Time", "Customized Time Zone", "Europe/Paris"}[(i+j)%3]
				if _, _, err := Resolve(tzid, &def); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func offsetAt(loc *time.Location, rfc3339 string) int {
	at, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		panic(err)
	}
	_, off := at.In(loc).Zone()
	return off
}
