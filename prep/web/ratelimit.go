package web

import (
	"container/list"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// RateLimit bounds how many links that are not valid one client may try:
// a token bucket per client (an IPv4 address, an IPv6 /64). Only unknown
// links count, and a valid link is served even to a client out of tokens,
// so that a person is never locked out of their own form by guesses from
// their address (a shared NAT, a proxy). Zero fields take the defaults.
type RateLimit struct {
	PerMinute float64 // refill; default 10; negative turns the limit off
	Burst     int     // bucket size; default 20
	// MaxClients bounds the limiter's memory: past it the clients idle
	// the longest are forgotten (they start again with a full bucket);
	// default 100,000 (a few MB).
	MaxClients int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For
	// names the client. Without them every request behind a proxy
	// would share the proxy's bucket.
	TrustedProxies []netip.Prefix
}

// defaultMaxClients: a new client is never refused for want of room.
// Forgetting the idlest instead means a scan from more prefixes than this
// gets a fresh bucket per prefix, which is what per-prefix limiting can
// do anyway; refusing would lock out every real person.
const defaultMaxClients = 100_000

type limiter struct {
	off     bool
	rate    float64 // tokens per second
	burst   float64
	max     int
	trusted []netip.Prefix
	now     func() time.Time

	mu        sync.Mutex
	buckets   map[string]*list.Element // of *bucket
	idle      list.List                // most recently used first
	lastSweep time.Time
}

type bucket struct {
	key    string
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
	if c.MaxClients <= 0 {
		c.MaxClients = defaultMaxClients
	}
	return &limiter{off: c.PerMinute < 0, rate: c.PerMinute / 60, burst: float64(c.Burst), max: c.MaxClients,
		trusted: c.TrustedProxies, now: now, buckets: map[string]*list.Element{}}
}

// take spends one token of key's bucket, for an unknown link. When none
// is left it returns false and how long until one is.
func (l *limiter) take(key string) (bool, time.Duration) {
	if l.off {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, now)
	l.refill(b, now)
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// bucket returns key's bucket, marked as used now; a new one is full.
func (l *limiter) bucket(key string, now time.Time) *bucket {
	if e := l.buckets[key]; e != nil {
		l.idle.MoveToFront(e)
		return e.Value.(*bucket)
	}
	l.sweep(now)
	for len(l.buckets) >= l.max {
		oldest := l.idle.Back()
		l.idle.Remove(oldest)
		delete(l.buckets, oldest.Value.(*bucket).key)
	}
	b := &bucket{key: key, tokens: l.burst, at: now}
	l.buckets[key] = l.idle.PushFront(b)
	return b
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
	for k, e := range l.buckets {
		b := e.Value.(*bucket)
		if l.refill(b, now); b.tokens >= l.burst {
			l.idle.Remove(e)
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
