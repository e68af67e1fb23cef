package caldav_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
)

// BenchmarkRadicaleSync measures a first sync and an idle poll of a
// 2,000-object collection on a real Radicale:
//
//	go test -run - -bench Radicale -benchtime 3x ./calendars/caldav/
func BenchmarkRadicaleSync(b *testing.B) {
	const n = 2000
	srv := caldavtest.StartRadicale(b)
	coll := srv.Import(b, "test", "big", manyEvents(n))
	c := newClient(b, coll, caldav.Options{Username: "test", Password: "testpass"})

	var cur caldav.Cursor
	b.Run("initial", func(b *testing.B) {
		var ch caldav.Changes
		for b.Loop() {
			ch, cur = changes(b, c, coll, caldav.Cursor{})
		}
		if len(ch.Updated) != n {
			b.Fatalf("initial sync returned %d objects, want %d", len(ch.Updated), n)
		}
		report(b, ch)
	})
	b.Run("idle", func(b *testing.B) {
		var ch caldav.Changes
		for b.Loop() {
			ch, _ = changes(b, c, coll, cur)
		}
		if len(ch.Updated)+len(ch.Deleted) != 0 || ch.Requests != 1 {
			b.Fatalf("idle sync: %d updated, %d deleted, %d requests", len(ch.Updated), len(ch.Deleted), ch.Requests)
		}
		report(b, ch)
	})
}

// manyEvents is one iCalendar file with n weekly events.
func manyEvents(n int) []byte {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone//test//EN\r\n")
	for i := range n {
		ev := string(event(fmt.Sprintf("uid-%d@test", i), fmt.Sprintf("1:1 number %d", i)))
		start := strings.Index(ev, "BEGIN:VEVENT")
		end := strings.Index(ev, "END:VCALENDAR")
		b.WriteString(ev[start:end])
	}
	b.WriteString("END:VCALENDAR\r\n")
	return []byte(b.String())
}

func report(b *testing.B, ch caldav.Changes) {
	b.ReportMetric(float64(ch.Requests), "requests/op")
	b.ReportMetric(float64(ch.Bytes), "resp-bytes/op")
}
