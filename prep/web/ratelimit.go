package web

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// RateLimit bounds how many links that are not valid one client may try:
// a token bucket per client address. Requests with valid links do not
// count. Zero fields take the defaults.
type RateLimit struct {
	PerMinute float64 // refill; default 10; negative turns the limit off
	Burst     int     // bucket size; default 20
	// TrustedProxies are the reverse proxies whose X-Forwarded-For
	// names the client. Without them every request behind a proxy
	// would share the proxy's bucket.
	TrustedProxies []netip.Prefix
}

// maxClients bounds the limiter's memory. Past it (a wide distributed
// scan) new clients are refused until buckets refill: failing closed
// costs a real person a minute's wait, failing open would disable the
// limit.
const maxClients = 100_000

type limiter struct {
	off     bool
	rate    float64 // tokens per second
	burst   float64
	trusted []netip.Prefix
	now     func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(c RateLimit, now func() time.Time) *limiter {
	if c.PerMinute == 0 {
		c.PerMinute = 10
	}
	if c.Burst <= 0 {
		c.Burst = 20
	}
	return &limiter{off: c.PerMinute < 0, rate: c.PerMinute / 60, burst: float64(c.Burst),
		trusted: c.TrustedProxies, now: now, buckets: map[string]*bucket{}}
}

// take spends one token of key's bucket. When none is left it returns
// false and how long until one is.
func (l *limiter) take(key string) (bool, time.Duration) {
	if l.off {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		l.sweep(now)
		if len(l.buckets) >= maxClients {
			return false, time.Minute
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// refund gives back a token taken for a request whose link was valid.
func (l *limiter) refund(key string) {
	if l.off {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.buckets[key]; b != nil {
		b.tokens = math.Min(l.burst, b.tokens+1)
	}
}

func (l *limiter) refill(b *bucket, now time.Time) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d.Seconds()*l.rate)
		b.at = now
	}
}

// sweep forgets full buckets (they hold nothing a new one would not), at
// most once per refill period.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Duration(l.burst/l.rate*float64(time.Second)) {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if l.refill(b, now); b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// client names the bucket of a request: the peer address, or behind a
// trusted proxy the nearest untrusted address of X-Forwarded-For. IPv6
// clients are grouped by /64, the block one household or host gets.
func (l *limiter) client(r *http.Request) string {
	addr := parseAddr(r.RemoteAddr)
	if l.isTrusted(addr) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop := parseAddr(strings.TrimSpace(hops[i]))
			if !hop.IsValid() {
				break
			}
			addr = hop
			if !l.isTrusted(hop) {
				break
			}
		}
	}
	if !addr.IsValid() {
		return r.RemoteAddr
	}
	if addr = addr.Unmap(); addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

func (l *limiter) isTrusted(a netip.Addr) bool {
	for _, p := range l.trusted {
		if a.IsValid() && p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// parseAddr reads "ip", "ip:port" or "[ip]:port"; the zero Addr if none.
func parseAddr(s string) netip.Addr {
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a.WithZone("")
}
