package web

import (
	"fmt"
	"net/netip"
	"testing"
	"time"
)

// A client out of tokens (its address sent junk) still saves its own
// answers and opens its form, by GET and by POST; junk from it is refused.
func TestRateLimitNeverBlocksAValidLink(t *testing.T) {
	h := newTestServer(t, newFake())
	for i := 0; ; i++ {
		if w := do(h, "GET", fmt.Sprintf("/p/junk%d", i), ""); w.Code == 429 {
			break
		}
		if i > 100 {
			t.Fatal("the limit never came")
		}
	}
	if w := do(h, "GET", "/p/"+testToken, ""); w.Code != 200 {
		t.Errorf("valid link from a limited address: GET %d, want 200", w.Code)
	}
	if w := do(h, "POST", "/p/"+testToken, "a.topics=x"); w.Code != 303 {
		t.Errorf("valid link from a limited address: POST %d, want 303", w.Code)
	}
	if w := do(h, "GET", "/p/junk-more", ""); w.Code != 429 {
		t.Errorf("junk after the valid link: %d, want 429 still", w.Code)
	}
}

// Clients are IPv4 addresses and IPv6 /64s: one /64 shares one bucket,
// the next /64 has its own.
func TestRateLimitKeysByPrefix(t *testing.T) {
	now := testNow
	l := newLimiter(RateLimit{Burst: 2}, func() time.Time { return now })
	take := func(addr string) bool {
		ok, _ := l.take(l.client(httptestRequest("GET", "/", addr)))
		return ok
	}
	take("[2001:db8:1:2::1]:1")
	take("[2001:db8:1:2::2]:1")
	if take("[2001:db8:1:2:ffff::9]:1") {
		t.Error("a third address of the same /64 got a token of a spent bucket")
	}
	if !take("[2001:db8:1:3::1]:1") || !take("192.0.2.9:1") {
		t.Error("another /64 or an IPv4 address shares the spent bucket")
	}
}

// Past MaxClients the limiter forgets the clients idle the longest
// instead of refusing new ones: a scan from many prefixes (an IPv6 /48
// holds 65,536 /64s) never locks out a newcomer, and memory stays bounded.
func TestRateLimitForgetsTheIdlestClients(t *testing.T) {
	now := testNow
	l := newLimiter(RateLimit{Burst: 1, MaxClients: 100}, func() time.Time { return now })
	first := prefixKey(0)
	l.take(first)
	if ok, _ := l.take(first); ok {
		t.Fatal("a bucket of one token gave two")
	}
	for i := 1; i <= 5000; i++ {
		now = now.Add(time.Millisecond)
		if ok, _ := l.take(prefixKey(i)); !ok {
			t.Fatalf("new client %d refused with %d tracked", i, l.size())
		}
		if n := l.size(); n > 100 {
			t.Fatalf("%d clients tracked, more than the maximum of 100", n)
		}
	}
	// The first client was the idlest: it was forgotten, and starts again.
	if ok, _ := l.take(first); !ok {
		t.Error("the idlest client was kept while newer ones came")
	}
	// A client in use is kept while others come and go.
	busy := prefixKey(9999)
	l.take(busy)
	for i := 0; i < 300; i++ {
		now = now.Add(time.Millisecond)
		l.take(prefixKey(10000 + i))
		if i%50 == 0 {
			l.take(busy) // spent: stays spent while it is tracked
		}
	}
	if ok, _ := l.take(busy); ok {
		t.Error("a client in use was forgotten (its spent bucket was refilled)")
	}
}

// prefixKey is the client key of the i-th /64 of 2001:db8::/32.
func prefixKey(i int) string {
	a := netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, byte(i >> 24), byte(i >> 16), byte(i >> 8), byte(i), 0, 0, 0, 0, 0, 0, 0, 1})
	p, _ := a.Prefix(64)
	return p.String()
}

// BenchmarkLimiterFullScan is one unknown link from a new prefix while the
// limiter is full: the cost of a scan from a /48 once memory is at its
// bound (each take evicts the idlest client).
func BenchmarkLimiterFullScan(b *testing.B) {
	now := testNow
	l := newLimiter(RateLimit{}, func() time.Time { return now })
	for i := range defaultMaxClients {
		l.take(prefixKey(i))
	}
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = prefixKey(defaultMaxClients + i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.take(keys[i%len(keys)])
	}
}

// size is how many clients the limiter holds.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
