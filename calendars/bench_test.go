package calendars_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// BenchmarkExpandWeekly10k expands 10,000 weekly series, started up to
// three years ago in several zones, into a 90-day window.
func BenchmarkExpandWeekly10k(b *testing.B) {
	zones := []string{"Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"}
	var files []calendars.File
	for i := 0; i < 10000; i++ {
		start := time.Date(2023, 1, 2, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i%1000)
		body := fmt.Sprintf("BEGIN:VEVENT\nUID:s%d@bench\nDTSTAMP:20240101T000000Z\nDTSTART;TZID=%s:%s\nDURATION:PT30M\nRRULE:FREQ=WEEKLY;INTERVAL=%d\nEXDATE;TZID=%s:%s\nSUMMARY:1:1\nORGANIZER:mailto:a%d@example.com\nATTENDEE:mailto:b%d@example.com\nEND:VEVENT",
			i, zones[i%len(zones)], start.Format("20060102T150405"), 1+i%2, zones[i%len(zones)], start.AddDate(0, 0, 700).Format("20060102T150405"), i, i)
		files = append(files, calendars.File{Name: fmt.Sprint(i), Data: []byte(wrap(body))})
	}
	series, probs := calendars.ReadICS(files, calendars.ReadOptions{})
	if len(probs) > 0 || len(series) != 10000 {
		b.Fatalf("setup: %d series, problems %v", len(series), probs[:min(3, len(probs))])
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 90)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n = 0
		for _, s := range series {
			n += len(s.Expand(from, to))
		}
	}
	b.ReportMetric(float64(n), "occurrences")
}

// BenchmarkRead10k measures reading the same 10,000 series from iCalendar.
func BenchmarkRead10k(b *testing.B) {
	var files []calendars.File
	for i := 0; i < 10000; i++ {
		body := fmt.Sprintf("BEGIN:VEVENT\nUID:s%d@bench\nDTSTART;TZID=Europe/Berlin:20240101T090000\nDURATION:PT30M\nRRULE:FREQ=WEEKLY\nORGANIZER:mailto:a%d@example.com\nATTENDEE:mailto:b%d@example.com\nEND:VEVENT", i, i, i)
		files = append(files, calendars.File{Name: fmt.Sprint(i), Data: []byte(wrap(body))})
	}
	b.ReportAllocs()
	for b.Loop() {
		calendars.ReadICS(files, calendars.ReadOptions{})
	}
}

// inspectWork is what `oneonone inspect` does with files: read, expand
// into its default window (30 days back, 60 ahead), detect.
func inspectWork(b *testing.B, data []byte) {
	from := time.Date(2026, 10, 24, 8, 0, 0, 0, time.UTC)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		series, _ := calendars.ReadICS([]calendars.File{{Name: "b.ics", Data: data}}, calendars.ReadOptions{})
		n = 0
		for _, s := range series {
			n += len(s.Expand(from, from.AddDate(0, 0, 90)))
			calendars.Detect(s, calendars.DefaultRules())
		}
	}
	b.ReportMetric(float64(n), "occurrences")
}

// BenchmarkInspectLongDescription: one weekly 1:1 whose DESCRIPTION is a
// megabyte, folded at 75 octets as producers write it.
func BenchmarkInspectLongDescription(b *testing.B) {
	text := strings.Repeat("0123456789", 1<<20/10)
	var folded strings.Builder
	folded.WriteString("DESCRIPTION:")
	for i := 0; i < len(text); i += 74 {
		if i > 0 {
			folded.WriteString("\r\n ")
		}
		folded.WriteString(text[i:min(i+74, len(text))])
	}
	inspectWork(b, []byte(wrap(ev+"DTSTART:20261101T100000Z\nRRULE:FREQ=WEEKLY\nORGANIZER:mailto:a@example.com\nATTENDEE:mailto:b@example.com\n"+folded.String()+"\nEND:VEVENT")))
}

// BenchmarkInspectSecondlyMillion: the invitation from the trial, a
// million instances a second apart starting 25 days ago.
func BenchmarkInspectSecondlyMillion(b *testing.B) {
	inspectWork(b, []byte(wrap(ev+"DTSTART:20261029T080000Z\nRRULE:FREQ=SECONDLY;COUNT=1000000\nORGANIZER:mailto:a@example.com\nATTENDEE:mailto:b@example.com\nEND:VEVENT")))
}
