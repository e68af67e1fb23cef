package prep_test

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// BenchmarkService measures the form's two requests against SQLite on
// disk: Open (a GET) and Save (a POST that changes one answer).
func BenchmarkService(b *testing.B) {
	e := newEnv(b)
	e.meetings.put(meeting(1))
	e.tick(start.Add(-24 * time.Hour))
	adaTok, graceTok := e.token(meeting(1), ada), e.token(meeting(1), grace)
	ctx := context.Background()
	e.clock.Set(start.Add(-time.Hour))
	if _, err := e.svc.Save(ctx, graceTok, map[string]string{"topics": "hiring", "feedback": "more reviews", "mood": "3"}); err != nil {
		b.Fatal(err)
	}
	b.Run("Open", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.svc.Open(ctx, adaTok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Save", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			answers := map[string]string{"topics": "roadmap " + strconv.Itoa(i), "mood": strconv.Itoa(i%5 + 1)}
			if _, err := e.svc.Save(ctx, adaTok, answers); err != nil {
				b.Fatal(err)
			}
		}
	})
}
