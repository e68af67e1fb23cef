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
	d := &daemon{mux: http.NewServeMux(), wake: make(chan struct{}, 1), log: slog.New(slog.DiscardHandler),
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
