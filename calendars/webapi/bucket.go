package webapi

import "time"

type bucket struct {
	full   float64 // tokens per second of the whole quota
	rate   float64 // tokens per second
	burst  float64
	tokens float64 // negative while requests wait for their turn
	last   time.Time
}

func newBucket(perMinute int, now time.Time) *bucket {
	perMinute = max(perMinute, 1)
	burst := max(float64(perMinute)/10, 1)
	return &bucket{full: float64(perMinute) / 60, rate: float64(perMinute) / 60, burst: burst, tokens: burst, last: now}
}

// divide sizes the bucket for one part in n of its quota.
func (k *bucket) divide(n int) {
	k.rate = k.full / float64(n)
	k.burst = max(k.full*6/float64(n), 1) // a tenth of a minute's worth
	k.tokens = min(k.tokens, k.burst)
}

// reserve takes a token and says how long to wait until it is really
// there.
func (k *bucket) reserve(now time.Time) time.Duration {
	if now.After(k.last) {
		k.tokens = min(k.burst, k.tokens+now.Sub(k.last).Seconds()*k.rate)
		k.last = now
	}
	k.tokens--
	if k.tokens >= 0 {
		return 0
	}
	return time.Duration(-k.tokens / k.rate * float64(time.Second))
}
