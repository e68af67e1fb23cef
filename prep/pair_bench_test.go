package prep_test

import (
	"context"
	"testing"
	"time"
)

// BenchmarkOpenPair measures a pair page (a GET) over a year of a weekly
// 1:1 in which both answered every time, against SQLite on disk.
func BenchmarkOpenPair(b *testing.B) {
	e := newEnv(b)
	e.settings.Links = e.links
	e.rewire()
	ctx := context.Background()
	for n := 1; n <= 52; n++ {
		m := meeting(n)
		e.meetings.put(m)
		e.tick(m.Start.Add(-24 * time.Hour))
		for _, p := range m.People {
			e.save(e.token(m, p.Email), map[string]string{"topics": "roadmap", "feedback": "more reviews", "mood": "3"})
		}
		m.State = "held"
		e.meetings.put(m)
	}
	tok := e.pairToken(meeting(52), grace)
	e.clock.Set(meeting(52).End.Add(time.Hour))
	pages := e.pairPages()
	b.ReportAllocs()
	for b.Loop() {
		rec, err := pages.OpenPair(ctx, tok)
		if err != nil || len(rec.Meetings) != 52 {
			b.Fatalf("%d meetings, %v", len(rec.Meetings), err)
		}
	}
}
