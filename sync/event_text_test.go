package sync_test

import (
	"testing"

	"github.com/oneonone/oneonone/sync"
)

func TestNoticeIsToTheMinuteUnderADay(t *testing.T) {
	for _, c := range []struct {
		hours   float64
		minutes *int
		want    string
	}{
		{0.75, ptr(45), "45 min"},
		{0, ptr(2), "2 min"},
		{0.1, nil, "6 min"}, // an event recorded before minutes were known
		{3.1, ptr(185), "3h 05min"},
		{193, ptr(193 * 60), "193h"},
		{-0.3, ptr(-20), "-20 min"},
	} {
		if got := sync.Notice(&c.hours, c.minutes); got != c.want {
			t.Errorf("notice %vh / %v min: %q, want %q", c.hours, c.minutes, got, c.want)
		}
	}
}

func ptr(n int) *int { return &n }
