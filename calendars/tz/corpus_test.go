package tz

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
)

// corpusDir is the shared corpus of real calendar files beside the repo.
const corpusDir = "../../../shared/ics-corpus"

// unresolvable are the corpus TZIDs, with their file, that name no zone and
// come without a usable VTIMEZONE, so any reading would be a guess.
var unresolvable = map[string]string{
	// khal's test of an event whose TZID is deliberately invalid.
	"foo": "pimutils__khal/event_rrule_recuid_invalid_tzid.ics",
	// libical's fuzzed zday.ics: "a" appears only as a parameter, and the
	// one VTIMEZONE, TZID "18640509", has a rule with COUNT=0 and offsets of
	// one second.
	"a":        "libical__libical/zday.ics",
	"18640509": "libical__libical/zday.ics",
	// Exchange events that use a custom zone whose VTIMEZONE the export left
	// out: the file defines only W. Europe Standard Time and UTC...
	"Customized Time Zone": "allenporter__ical/office_365_invalid_timezone.ics",
	// ...or no VTIMEZONE at all.
	"tzone://Microsoft/Custom": "jens-maus__node-ical/bad_custom_ms_tz.ics",
}

// icsFile is what the test needs from one calendar file.
type icsFile struct {
	tzids []string               // distinct TZID parameter values and VTIMEZONE TZIDs
	defs  map[string]*Definition // VTIMEZONEs by unescaped TZID
}

var unfold = regexp.MustCompile(`\r?\n[ \t]`)

// scanICS is a minimal content-line scanner: unfold, split BEGIN/END, and
// pick out TZID parameters and VTIMEZONE properties.
func scanICS(data string) icsFile {
	f := icsFile{defs: map[string]*Definition{}}
	var def *Definition
	var obs *Observance
	hasTZID := false
	for _, line := range strings.FieldsFunc(unfold.ReplaceAllString(data, ""), func(r rune) bool { return r == '\n' || r == '\r' }) {
		name, params, value := splitLine(line)
		for _, p := range params {
			if k, v, ok := strings.Cut(p, "="); ok && strings.EqualFold(k, "TZID") {
				f.tzids = append(f.tzids, unquote(v))
			}
		}
		switch {
		case name == "BEGIN" && value == "VTIMEZONE":
			def, hasTZID = &Definition{}, false
		case name == "END" && value == "VTIMEZONE" && def != nil:
			// ical.js has an empty VTIMEZONE that names nothing; an empty
			// TZID property (ical4j's blankTzid.ics) is still a name.
			if hasTZID {
				f.defs[def.TZID] = def
				f.tzids = append(f.tzids, def.TZID)
			}
			def = nil
		case def == nil:
		case name == "BEGIN" && (value == "STANDARD" || value == "DAYLIGHT"):
			def.Observances = append(def.Observances, Observance{Daylight: value == "DAYLIGHT"})
			obs = &def.Observances[len(def.Observances)-1]
		case name == "END" && (value == "STANDARD" || value == "DAYLIGHT"):
			obs = nil
		case name == "TZID":
			hasTZID = true
			def.TZID = strings.NewReplacer(`\,`, ",", `\;`, ";", `\\`, `\`).Replace(value)
		case obs != nil:
			setObservance(obs, name, value)
		}
	}
	slices.Sort(f.tzids)
	f.tzids = slices.Compact(f.tzids)
	return f
}

// splitLine splits "NAME;P=V;P="x:y":VALUE", honouring quotes.
func splitLine(line string) (name string, params []string, value string) {
	inQuote, start := false, 0
	var parts []string
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '"':
			inQuote = !inQuote
		case c == ';' && !inQuote:
			parts, start = append(parts, line[start:i]), i+1
		case c == ':' && !inQuote:
			parts = append(parts, line[start:i])
			return strings.ToUpper(parts[0]), parts[1:], line[i+1:]
		}
	}
	parts = append(parts, line[start:])
	return strings.ToUpper(parts[0]), parts[1:], ""
}

func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1]
	}
	return v
}

func setObservance(o *Observance, name, value string) {
	switch name {
	case "DTSTART":
		o.Start, _ = parseWall(value)
	case "TZOFFSETFROM":
		o.OffsetFrom, _ = ParseOffset(value)
	case "TZOFFSETTO":
		o.OffsetTo, _ = ParseOffset(value)
	case "TZNAME":
		o.Name = value
	case "RRULE":
		o.RRule = value
	case "RDATE":
		for _, v := range strings.Split(value, ",") {
			start, _, _ := strings.Cut(v, "/") // PERIOD: the start counts
			if t, ok := parseWall(start); ok {
				o.RDates = append(o.RDates, t)
			}
		}
	}
}

func parseWall(v string) (time.Time, bool) {
	v = strings.TrimSuffix(strings.TrimSpace(v), "Z")
	for _, layout := range []string{"20060102T150405", "20060102"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// corpusStats counts what TestCorpus saw.
type corpusStats struct {
	total, resolved, notIANA, defs, defsBuilt int
	failed                                    []string
}

func TestCorpus(t *testing.T) {
	_, err := os.Stat(corpusDir)
	testkit.NeedPeer(t, "the shared iCalendar corpus is not beside the repository", err)
	var st corpusStats
	err = filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".ics") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, path)
		st.check(t, filepath.ToSlash(rel), scanICS(string(data)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("distinct TZIDs per file resolved: %d of %d (%d not as a tz database zone); VTIMEZONEs built: %d of %d",
		st.resolved, st.total, st.notIANA, st.defsBuilt, st.defs)
	t.Logf("%d unresolved, all known: %q", len(st.failed), st.failed)
}

// check resolves every TZID of one file, with its VTIMEZONE when the file
// has one, and builds every VTIMEZONE on its own.
func (st *corpusStats) check(t *testing.T, rel string, f icsFile) {
	for _, def := range f.defs {
		st.defs++
		if _, err := FromDefinition(*def); err == nil {
			st.defsBuilt++
		} else {
			t.Logf("%s: %v", rel, err)
		}
	}
	for _, tzid := range f.tzids {
		st.total++
		loc, iana, err := Resolve(tzid, f.defs[tzid])
		switch {
		case err != nil:
			t.Logf("unresolved %q in %s: %v", tzid, rel, err)
			st.failed = append(st.failed, tzid)
			if unresolvable[tzid] != rel {
				t.Errorf("%s: Resolve(%q): %v", rel, tzid, err)
			}
		case loc == nil:
			t.Errorf("%s: Resolve(%q) returned no location and no error", rel, tzid)
		default:
			st.resolved++
			if iana == "" {
				st.notIANA++
			}
		}
	}
}
