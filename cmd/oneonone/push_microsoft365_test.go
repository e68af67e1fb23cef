package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/microsoft365"
	"github.com/oneonone/oneonone/calendars/microsoft365/graphtest"
	"github.com/oneonone/oneonone/sync"
)

// TestMicrosoft365PushWakesTheSyncLoop: the daemon's wiring of Graph
// subscriptions: one per Microsoft 365 calendar, the validation request
// answered (and waking nothing), a change notification waking the sync
// loop, a forged one not.
func TestMicrosoft365PushWakesTheSyncLoop(t *testing.T) {
	g, c := adaOnGraph(t)
	d := &daemon{app: &app{db: pushDB(t)}, mux: http.NewServeMux(), wake: make(chan struct{}, 1), log: slog.New(slog.DiscardHandler),
		current: func() []sync.Calendar {
			return []sync.Calendar{{Name: "ada", Kind: "microsoft365", Feed: microsoft365.Feed{Client: c}}}
		}}
	d.setupPush()
	srv := httptest.NewServer(d.mux)
	t.Cleanup(srv.Close)
	d.subs.Renew(context.Background(), srv.URL+subscriptionsPath)
	s := d.subs.Subscription("ada")
	if s.ID == "" {
		t.Fatal("no subscription")
	}
	select {
	case <-d.wake:
		t.Fatal("the validation request woke the loop")
	default:
	}
	g.CreateMeeting(graphtest.Meeting{Organizer: "ada@contoso.com", Attendees: []string{"grace@contoso.com"}, Subject: "1:1",
		Start: time.Now().Add(time.Hour), Duration: 30 * time.Minute, Recurrence: &graphtest.Recurrence{Pattern: "weekly"}})
	select {
	case <-d.wake:
	case <-time.After(5 * time.Second):
		t.Fatalf("a change notification did not wake the sync loop: %+v", g.Deliveries())
	}
	forged := `{"value":[{"subscriptionId":"` + s.ID + `","clientState":"forged","changeType":"created"}]}`
	resp, err := http.Post(srv.URL+subscriptionsPath, "application/json", strings.NewReader(forged))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case <-d.wake:
		t.Error("a forged notification woke the loop")
	case <-time.After(50 * time.Millisecond):
	}
}

// adaOnGraph is the Graph fake with Ada's mailbox, delivering to plain
// HTTP, and a client of it.
func adaOnGraph(t *testing.T) (*graphtest.Server, *microsoft365.Client) {
	g := graphtest.New()
	t.Cleanup(g.Close)
	g.AllowHTTPNotificationURL = true
	g.AddTenant("contoso.onmicrosoft.com")
	g.AddApp("contoso.onmicrosoft.com", "app", "secret", graphtest.CalendarsReadWrite)
	g.AddMailbox("contoso.onmicrosoft.com", "ada@contoso.com", "Ada")
	c, err := microsoft365.New(microsoft365.Config{User: "ada@contoso.com", Tenant: "contoso.onmicrosoft.com", ClientID: "app",
		ClientSecret: "secret", Endpoint: g.GraphEndpoint(), LoginEndpoint: g.LoginEndpoint()}, microsoft365.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g, c
}

// A Graph notification may reach any instance sharing the database (the
// load balancer's choice): one that never made the subscription checks
// it against the stored one and asks the calendar's lease holder to
// poll; it neither polls nor subscribes itself. A restarted holder takes
// the stored subscription over instead of making another.
func TestMicrosoft365PushReachesTheHolderThroughAnotherInstance(t *testing.T) {
	g, c := adaOnGraph(t)
	shared := pushDB(t)
	now := func() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }
	instance := func(id string) *daemon {
		d := &daemon{app: &app{db: shared}, mux: http.NewServeMux(), wake: make(chan struct{}, 1), log: slog.New(slog.DiscardHandler),
			current: func() []sync.Calendar {
				return []sync.Calendar{{Name: "ada", Kind: "microsoft365", Feed: microsoft365.Feed{Client: c}}}
			}}
		d.leases = &sync.Leases{DB: shared, Holder: id, Now: now, Log: d.log, Wake: d.wakeSync}
		d.setupPush()
		return d
	}
	holder, other := instance("a"), instance("b")
	ctx := context.Background()
	for _, d := range []*daemon{holder, other} {
		if _, err := d.leases.Claim(ctx, []sync.Calendar{{Name: "ada"}}, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	lb := httptest.NewServer(other.mux)
	t.Cleanup(lb.Close)
	other.subs.Renew(ctx, lb.URL+subscriptionsPath)
	holder.subs.Renew(ctx, lb.URL+subscriptionsPath)
	if other.subs.Subscription("ada").ID != "" || len(g.Subscriptions()) != 1 {
		t.Fatalf("subscriptions %+v; want the lease holder's alone", g.Subscriptions())
	}
	g.CreateMeeting(graphtest.Meeting{Organizer: "ada@contoso.com", Subject: "1:1", Start: time.Now().Add(time.Hour), Duration: 30 * time.Minute})
	g.Wait()
	if err := holder.leases.Beat(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	select {
	case <-holder.wake:
	case <-time.After(5 * time.Second):
		t.Fatalf("the notification through the other instance did not wake the lease holder: %+v", g.Deliveries())
	}
	select {
	case <-other.wake:
		t.Error("the instance without the lease polled")
	default:
	}
	restarted := instance("a")
	if _, err := restarted.leases.Claim(ctx, []sync.Calendar{{Name: "ada"}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	restarted.subs.Renew(ctx, lb.URL+subscriptionsPath)
	if got := restarted.subs.Subscription("ada"); got.ID != holder.subs.Subscription("ada").ID || len(g.Subscriptions()) != 1 {
		t.Errorf("after a restart: %+v, Graph %+v; want the stored subscription taken over", got, g.Subscriptions())
	}
}
