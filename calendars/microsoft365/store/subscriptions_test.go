package store

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/microsoft365"
	"github.com/oneonone/oneonone/calendars/microsoft365/graphtest"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

const ada = "ada@contoso.com"

var start = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// cluster is the Graph fake and instances sharing one database, with a
// clock they all read.
type cluster struct {
	t     *testing.T
	g     *graphtest.Server
	db    *sql.DB
	mu    sync.Mutex
	clock time.Time
	// lb is the address Graph posts to: the load balancer in front of the
	// instances, passing each request to to.
	lb string
	to http.Handler
}

func newCluster(t *testing.T, d *sql.DB) *cluster {
	c := &cluster{t: t, g: graphtest.New(), db: d, clock: start}
	t.Cleanup(c.g.Close)
	c.g.Now = c.now
	c.g.AllowHTTPNotificationURL = true
	c.g.AddTenant("contoso.onmicrosoft.com")
	c.g.AddApp("contoso.onmicrosoft.com", "app", "secret", graphtest.CalendarsReadWrite)
	c.g.AddMailbox("contoso.onmicrosoft.com", ada, "Ada")
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		to := c.to
		c.mu.Unlock()
		to.ServeHTTP(w, r)
	}))
	t.Cleanup(lb.Close)
	c.lb = lb.URL + "/microsoft365/push"
	return c
}

// route sends what reaches the load balancer to in.
func (c *cluster) route(in *instance) { c.mu.Lock(); c.to = in.hook; c.mu.Unlock() }

func (c *cluster) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.clock }
func (c *cluster) set(t time.Time) { c.mu.Lock(); c.clock = t; c.mu.Unlock() }

// instance is one daemon's webhook (served at url) and subscriptions.
type instance struct {
	hook  *microsoft365.Webhook
	subs  *microsoft365.Subscriptions
	url   string
	mu    sync.Mutex
	woken []string
}

func (c *cluster) instance() *instance {
	client, err := microsoft365.New(microsoft365.Config{User: ada, Tenant: "contoso.onmicrosoft.com", ClientID: "app", ClientSecret: "secret",
		Endpoint: c.g.GraphEndpoint(), LoginEndpoint: c.g.LoginEndpoint()}, microsoft365.Options{Now: c.now})
	if err != nil {
		c.t.Fatal(err)
	}
	store := SubscriptionStore{DB: c.db}
	in := &instance{}
	hook := &microsoft365.Webhook{Store: store, Trigger: func(cal string) { in.mu.Lock(); in.woken = append(in.woken, cal); in.mu.Unlock() }}
	in.subs = &microsoft365.Subscriptions{Hook: hook, Store: store, Calendars: func() map[string]microsoft365.Watched {
		return map[string]microsoft365.Watched{"ada": {Client: client, User: ada}}
	}}
	in.hook = hook
	srv := httptest.NewServer(hook)
	c.t.Cleanup(srv.Close)
	in.url = srv.URL + "/microsoft365/push"
	return in
}

func (in *instance) wakes() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.woken...)
}

// live is the fake's subscriptions that have not expired.
func (c *cluster) live() []graphtest.Subscription {
	var out []graphtest.Subscription
	for _, s := range c.g.Subscriptions() {
		if s.Expiration.After(c.now()) {
			out = append(out, s)
		}
	}
	return out
}

// A subscription one instance made and stored is accepted by another
// instance's webhook, which never saw it (the load balancer's choice);
// a forged clientState wakes nothing. The database holds the
// clientState's hash, never the clientState.
func TestStoredSubscriptionReachesAnyInstance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		c := newCluster(t, open(t, Schema))
		holder, other := c.instance(), c.instance()
		c.route(other)
		holder.subs.Renew(t.Context(), c.lb)
		s := holder.subs.Subscription("ada")
		if s.ID == "" || len(c.live()) != 1 {
			t.Fatalf("no subscription: %+v", c.g.Subscriptions())
		}
		c.g.CreateMeeting(graphtest.Meeting{Organizer: ada, Attendees: []string{"grace@contoso.com"}, Subject: "1:1",
			Start: start.Add(24 * time.Hour), Duration: 30 * time.Minute})
		c.g.Wait()
		if w := other.wakes(); len(w) != 1 || w[0] != "ada" {
			t.Fatalf("the other instance woke %v for a change; deliveries %+v", w, c.g.Deliveries())
		}
		forged := `{"value":[{"subscriptionId":"` + s.ID + `","clientState":"guess","changeType":"updated"}]}`
		resp, err := http.Post(c.lb, "application/json", strings.NewReader(forged))
		if err != nil || resp.StatusCode != http.StatusAccepted {
			t.Fatalf("forged notification: %v %v", resp, err)
		}
		if w := other.wakes(); len(w) != 1 {
			t.Errorf("a forged clientState woke %v", w)
		}
		var hash string
		if err := c.db.QueryRow(`SELECT state_hash FROM microsoft365_subscriptions WHERE calendar = 'ada'`).Scan(&hash); err != nil ||
			strings.Contains(hash, s.ClientState) || hash != s.StateHash() {
			t.Errorf("stored clientState %q (%v), want its hash alone", hash, err)
		}
	})
}

// A restart, or another instance taking the calendar over, keeps the
// stored subscription (renewing it when it expires soon, the renewed
// expiry stored) instead of making another; shutting down leaves it for
// whoever syncs the calendar next.
func TestStoredSubscriptionIsTakenOver(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		c := newCluster(t, open(t, Schema))
		first := c.instance()
		c.route(first)
		first.subs.Renew(t.Context(), c.lb)
		s := first.subs.Subscription("ada")
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		first.subs.Run(ctx, c.lb) // a shutdown
		if live := c.live(); len(live) != 1 || live[0].ID != s.ID {
			t.Fatalf("after a shutdown Graph has %+v, want %s left in place", live, s.ID)
		}

		restarted := c.instance()
		c.route(restarted)
		restarted.subs.Renew(t.Context(), c.lb)
		if got := restarted.subs.Subscription("ada"); got.ID != s.ID || len(c.live()) != 1 {
			t.Fatalf("after a restart: %+v, Graph %+v; want %s taken over", got, c.g.Subscriptions(), s.ID)
		}
		c.g.CreateMeeting(graphtest.Meeting{Organizer: ada, Subject: "1:1", Start: start.Add(24 * time.Hour), Duration: 30 * time.Minute})
		c.g.Wait()
		if w := restarted.wakes(); len(w) != 1 {
			t.Errorf("the restarted instance woke %v for a change to its taken-over subscription", w)
		}

		c.set(start.Add(60 * time.Hour)) // under 12 hours left
		next := c.instance()
		next.subs.Renew(t.Context(), c.lb)
		renewed := next.subs.Subscription("ada")
		stored, ok, err := SubscriptionStore{DB: c.db}.Subscription(t.Context(), "ada")
		if renewed.ID != s.ID || !renewed.Expiry.After(s.Expiry) || len(c.live()) != 1 {
			t.Fatalf("taken over near its expiry: %+v → %+v, Graph %+v; want the same id renewed", s, renewed, c.g.Subscriptions())
		}
		if err != nil || !ok || stored.ID != s.ID || !stored.Expiry.Equal(renewed.Expiry.Truncate(time.Second)) || stored.ClientState != "" {
			t.Errorf("stored after the renewal: %+v %v %v; want expiry %v", stored, ok, err, renewed.Expiry)
		}
	})
}

// A stored subscription that posts elsewhere (public_url changed) is
// deleted at Graph and replaced, so notifications reach the new address.
func TestStoredSubscriptionToAnotherAddressIsReplaced(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		c := newCluster(t, open(t, Schema))
		old, moved := c.instance(), c.instance()
		old.subs.Renew(t.Context(), old.url)
		s := old.subs.Subscription("ada")
		moved.subs.Renew(t.Context(), moved.url)
		got := moved.subs.Subscription("ada")
		if got.ID == "" || got.ID == s.ID {
			t.Fatalf("subscription to the new address: %+v (old %s)", got, s.ID)
		}
		if live := c.live(); len(live) != 1 || live[0].ID != got.ID || live[0].NotificationURL != moved.url {
			t.Errorf("Graph has %+v; want only %s to %s", live, got.ID, moved.url)
		}
		if stored, _, err := (SubscriptionStore{DB: c.db}).Subscription(t.Context(), "ada"); err != nil || stored.ID != got.ID {
			t.Errorf("stored %+v (%v), want %s", stored, err, got.ID)
		}
	})
}

// failOnce fails its first save, as a database briefly away does.
type failOnce struct {
	SubscriptionStore
	failed bool
}

func (f *failOnce) SaveSubscription(ctx context.Context, calendar string, s microsoft365.Subscription) error {
	if !f.failed {
		f.failed = true
		return errors.New("database away")
	}
	return f.SubscriptionStore.SaveSubscription(ctx, calendar, s)
}

// A subscription whose save failed is saved at the next round (other
// instances refuse its notifications until then), not made again; a
// webhook that cannot read the database answers 503, which Graph
// retries, and an instance that cannot read the stored subscription
// makes no second one.
func TestUnsavedSubscriptionIsSavedLater(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		c := newCluster(t, open(t, Schema))
		in := c.instance()
		c.route(in)
		in.subs.Store = &failOnce{SubscriptionStore: SubscriptionStore{DB: c.db}}
		in.subs.Renew(t.Context(), c.lb)
		s := in.subs.Subscription("ada")
		if _, ok, err := (SubscriptionStore{DB: c.db}).Subscription(t.Context(), "ada"); ok || err != nil || s.ID == "" {
			t.Fatalf("after a failed save: stored %v (%v), kept %+v", ok, err, s)
		}
		in.subs.Renew(t.Context(), c.lb)
		stored, ok, err := SubscriptionStore{DB: c.db}.Subscription(t.Context(), "ada")
		if err != nil || !ok || stored.ID != s.ID || len(c.live()) != 1 {
			t.Errorf("next round: stored %+v %v %v, Graph %+v; want %s saved, none made again", stored, ok, err, c.g.Subscriptions(), s.ID)
		}

		c.db.Close()
		other := c.instance()
		body := `{"value":[{"subscriptionId":"` + s.ID + `","clientState":"x","changeType":"updated"}]}`
		w := httptest.NewRecorder()
		other.hook.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/microsoft365/push", strings.NewReader(body)))
		if w.Code != http.StatusServiceUnavailable {
			t.Errorf("a notification with the database away: %d, want 503", w.Code)
		}
		other.subs.Renew(t.Context(), c.lb)
		if got := other.subs.Subscription("ada"); got.ID != "" || len(c.live()) != 1 {
			t.Errorf("an instance that cannot read the stored subscription made %+v; Graph %+v", got, c.g.Subscriptions())
		}
	})
}
