package microsoft365

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/microsoft365/graphtest"
)

// pushWorld is the fake Graph posting to a webhook on plain HTTP, with
// the triggers it caused.
type pushWorld struct {
	*world
	hook    *Webhook
	subs    *Subscriptions
	addr    string
	mu      sync.Mutex
	woken   []string
	clock   time.Time
	clockMu sync.Mutex
}

func newPushWorld(t *testing.T) *pushWorld {
	p := &pushWorld{world: newWorld(t), clock: fakeNow}
	p.srv.AllowHTTPNotificationURL = true
	p.srv.Now = p.now
	p.hook = &Webhook{Trigger: func(cal string) { p.mu.Lock(); p.woken = append(p.woken, cal); p.mu.Unlock() }}
	hs := httptest.NewServer(p.hook)
	t.Cleanup(hs.Close)
	p.addr = hs.URL + "/microsoft365/push"
	c := p.client(t, grace, appSecret)
	c.opt.Now = p.now
	p.subs = &Subscriptions{Hook: p.hook, Calendars: func() map[string]Watched {
		return map[string]Watched{"grace": {Client: c, User: grace}}
	}}
	return p
}

func (p *pushWorld) now() time.Time  { p.clockMu.Lock(); defer p.clockMu.Unlock(); return p.clock }
func (p *pushWorld) set(t time.Time) { p.clockMu.Lock(); p.clock = t; p.clockMu.Unlock() }

func (p *pushWorld) wakes() []string {
	p.srv.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.woken...)
}

// TestSubscriptionWakesTheCalendar: subscribing passes Graph's
// validationToken handshake; a change in Grace's mailbox wakes her
// calendar; a notification with another clientState wakes nothing.
func TestSubscriptionWakesTheCalendar(t *testing.T) {
	p := newPushWorld(t)
	p.subs.Renew(context.Background(), p.addr)
	s := p.subs.Subscription("grace")
	if s.ID == "" || len(p.srv.Subscriptions()) != 1 {
		t.Fatalf("no subscription: %+v", p.srv.Subscriptions())
	}
	if got := p.srv.Subscriptions()[0].Resource; got != "users/"+grace+"/events" {
		t.Errorf("resource %q", got)
	}
	p.srv.MoveOccurrence(p.uid, time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 16, 9, 0, 0, 0, time.UTC))
	if w := p.wakes(); len(w) == 0 || w[0] != "grace" {
		t.Fatalf("after a change: woken %v; deliveries %+v", w, p.srv.Deliveries())
	}
	n := len(p.wakes())
	forged := `{"value":[{"subscriptionId":"` + s.ID + `","clientState":"guess","changeType":"updated"}]}`
	resp, err := http.Post(p.addr, "application/json", strings.NewReader(forged))
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("forged notification: %v %v", resp, err)
	}
	if len(p.wakes()) != n {
		t.Errorf("a forged notification woke the calendar")
	}
}

// TestSubscriptionRenewedBeforeItsLimit: a subscription is kept as long
// as it has more than 12 hours left, renewed (the same id, a later
// expiry within Graph's 4230 minutes) when it has less, and made again
// when Graph no longer knows it.
func TestSubscriptionRenewedBeforeItsLimit(t *testing.T) {
	p := newPushWorld(t)
	p.subs.Renew(context.Background(), p.addr)
	first := p.subs.Subscription("grace")
	if first.Expiry.Sub(fakeNow) > graphtest.MaxSubscriptionLifetime || first.Expiry.Sub(fakeNow) < 60*time.Hour {
		t.Fatalf("expiry %v after now", first.Expiry.Sub(fakeNow))
	}
	p.set(fakeNow.Add(24 * time.Hour))
	p.subs.Renew(context.Background(), p.addr)
	if s := p.subs.Subscription("grace"); s != first {
		t.Errorf("renewed too early: %+v → %+v", first, s)
	}
	p.set(fakeNow.Add(60 * time.Hour))
	p.subs.Renew(context.Background(), p.addr)
	renewed := p.subs.Subscription("grace")
	if renewed.ID != first.ID || !renewed.Expiry.After(first.Expiry) || p.srv.Subscriptions()[0].Expiration.Before(first.Expiry.Add(time.Hour)) {
		t.Errorf("renewal: %+v → %+v, fake %+v", first, renewed, p.srv.Subscriptions())
	}
	req, _ := http.NewRequest(http.MethodDelete, p.srv.GraphEndpoint()+"subscriptions/"+renewed.ID, nil)
	req.Header.Set("Authorization", "Bearer "+p.srv.Token(appID))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %v %v", resp, err)
	}
	p.set(fakeNow.Add(120 * time.Hour))
	p.subs.Renew(context.Background(), p.addr)
	if again := p.subs.Subscription("grace"); again.ID == "" || again.ID == renewed.ID || len(p.srv.Subscriptions()) != 1 {
		t.Errorf("a lost subscription was not made again: %+v, fake %+v", again, p.srv.Subscriptions())
	}
}

// countingStore holds one subscription and counts the lookups by id.
type countingStore struct {
	SubscriptionStore
	s       Subscription
	lookups int
}

func (c *countingStore) SubscriptionByID(_ context.Context, id string) (Subscription, string, bool, error) {
	c.lookups++
	return c.s, "grace", id == c.s.ID, nil
}

// A POST naming thousands of unknown subscriptions costs at most
// maxLookups lookups, each id once; a stored subscription in it still
// wakes its calendar, checked against the clientState's hash.
func TestWebhookBoundsStoreLookups(t *testing.T) {
	store := &countingStore{s: Subscription{ID: "sub-1", Hash: hashState("the-state")}}
	var woken []string
	h := &Webhook{Store: store, Trigger: func(cal string) { woken = append(woken, cal) }}
	var b strings.Builder
	b.WriteString(`{"value":[{"subscriptionId":"sub-1","clientState":"the-state"}`)
	for i := range 5000 {
		fmt.Fprintf(&b, `,{"subscriptionId":"forged-%d","clientState":"x"},{"subscriptionId":"sub-1","clientState":"x"}`, i)
	}
	b.WriteString(`]}`)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/microsoft365/push", strings.NewReader(b.String())))
	if w.Code != http.StatusAccepted || len(woken) != 1 || woken[0] != "grace" {
		t.Errorf("answer %d, woken %v; want 202 and grace once", w.Code, woken)
	}
	if store.lookups != maxLookups {
		t.Errorf("%d lookups, want %d", store.lookups, maxLookups)
	}
}
