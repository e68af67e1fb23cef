package webapi

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterAsHTTPDate(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	h := http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}
	if d, ok := RetryAfter(h, now); !ok || d != 90*time.Second {
		t.Errorf("Retry-After date: %v %v", d, ok)
	}
	if _, ok := RetryAfter(http.Header{"Retry-After": {"soon"}}, now); ok {
		t.Error("a malformed Retry-After was honoured")
	}
}

// TestBackoffDoublesUpToItsCap: 2^(n-1) s of which the upper half is
// jitter, never more than MaxBackoff.
func TestBackoffDoublesUpToItsCap(t *testing.T) {
	for _, tc := range []struct {
		attempt int
		jitter  float64
		want    time.Duration
	}{
		{1, 0, 500 * time.Millisecond}, {1, 0.5, 750 * time.Millisecond}, {3, 0.5, 3 * time.Second},
		{6, 0, 16 * time.Second}, {7, 0.99, 16*time.Second + time.Duration(0.99*float64(16*time.Second))}, {60, 0, 16 * time.Second},
	} {
		if got := Backoff(tc.attempt, tc.jitter); got != tc.want {
			t.Errorf("Backoff(%d, %v) = %v, want %v", tc.attempt, tc.jitter, got, tc.want)
		}
	}
}

// TestWaitRefusesALongRetryAfter: a Retry-After beyond the longest
// honoured fails the request rather than waiting for it.
func TestWaitRefusesALongRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	if d, ok := Wait(http.Header{"Retry-After": {"7"}}, 1, now, time.Minute, 0.5); d != 7*time.Second || !ok {
		t.Errorf("Retry-After 7 within a minute: %v %v", d, ok)
	}
	if _, ok := Wait(http.Header{"Retry-After": {"600"}}, 1, now, time.Minute, 0.5); ok {
		t.Error("a Retry-After of ten minutes was waited for, with a minute the most")
	}
	if d, ok := Wait(nil, 2, now, time.Minute, 0.5); d != 1500*time.Millisecond || !ok {
		t.Errorf("no Retry-After, second attempt: %v %v; want the backoff, 1.5s", d, ok)
	}
}
