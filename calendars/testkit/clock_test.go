package testkit

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestClockStandsUntilMoved(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c := NewClock(t0)
	if c.Now() != t0 || c.Now() != t0 {
		t.Fatalf("a standing clock moved: %v", c.Now())
	}
	c.Advance(time.Hour)
	if got := c.Now(); !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("after Advance(1h): %v", got)
	}
	c.Set(t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Errorf("after Set: %v", got)
	}
}

func TestTickingClockMovesOnEachRead(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c := NewTickingClock(t0, time.Second)
	a, b := c.Now(), c.Now()
	if !a.Equal(t0.Add(time.Second)) || !b.Equal(t0.Add(2*time.Second)) {
		t.Errorf("reads %v, %v; want one second apart after %v", a, b, t0)
	}
}

func TestSleepRecordsAndMoves(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c := NewClock(t0)
	if err := c.Sleep(context.Background(), 3*time.Second); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Second); err == nil {
		t.Error("a sleep with a cancelled context returned no error")
	}
	if got := c.Slept(); !slices.Equal(got, []time.Duration{3 * time.Second, time.Second}) {
		t.Errorf("slept %v", got)
	}
	if got := c.Now(); !got.Equal(t0.Add(4 * time.Second)) {
		t.Errorf("after sleeping 4s: %v", got)
	}
}
