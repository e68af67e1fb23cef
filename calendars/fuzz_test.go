package calendars_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// FuzzReadAndExpand feeds arbitrary bytes through the reader, the
// expander and the detector: whatever comes in, nothing may panic or run
// away. The seed corpus is testdata/fuzz plus every corpus file.
func FuzzReadAndExpand(f *testing.F) {
	f.Add([]byte(wrap(ev + "DTSTART;TZID=Europe/Berlin:20240101T100000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU;COUNT=5\nEXDATE:20240102T090000Z\nEND:VEVENT")))
	f.Add([]byte(wrap(ev + "DTSTART;VALUE=DATE:20240101\nRRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20250101\nEND:VEVENT")))
	f.Add([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nATTENDEE;CN=\"x\"y;ROLE=:mailto:\nEND:VCALENDAR"))
	f.Add([]byte(wrap(ev + "DTSTART:20231215T100000Z\nRRULE:FREQ=SECONDLY;COUNT=1000000\nEND:VEVENT")))
	f.Add([]byte(wrap(ev + "DTSTART:20231215T100000Z\nRRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=1\nEND:VEVENT")))
	f.Add([]byte(wrap(ev + "DTSTART:20231215T100000Z\nRRULE:FREQ=MINUTELY;BYSETPOS=3\nEND:VEVENT")))
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.ics"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 3, 0)
	limit := calendars.MaxPerDay * (int(to.Sub(from).Hours()/24) + 1)
	f.Fuzz(func(t *testing.T, data []byte) {
		series, _ := calendars.ReadICS([]calendars.File{{Name: "fuzz.ics", Data: data}}, calendars.ReadOptions{})
		for _, s := range series {
			occ := s.Expand(from, to)
			if len(occ) > limit {
				t.Fatalf("%d occurrences in 3 months, over the cap of %d", len(occ), limit)
			}
			calendars.Detect(s, calendars.DefaultRules())
		}
	})
}
