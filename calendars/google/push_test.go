package google

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestPushChannelTriggersOnlyWithItsToken(t *testing.T) {
	srv, c, _ := setup(t)
	triggered := make(chan string, 8)
	hook := &Webhook{Trigger: func(name string) { triggered <- name }}
	ts := httptest.NewServer(hook)
	defer ts.Close()

	token := NewChannelToken()
	// Google's first ("sync") message may come before Register: it
	// gets 404, which Google ignores.
	ch, err := c.Watch(t.Context(), ada, ts.URL+"/google/push", token)
	if err != nil {
		t.Fatal(err)
	}
	hook.Register(ch, "ada-work")
	if ch.ResourceID == "" || ch.Expiration.IsZero() || ch.CalendarID != ada {
		t.Errorf("channel %+v", ch)
	}
	if err := srv.Notify(ada); err != nil {
		t.Fatal(err)
	}
	select {
	case name := <-triggered:
		if name != "ada-work" {
			t.Errorf("triggered %q", name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no trigger")
	}

	for _, tc := range []struct {
		id, token, state string
		status           int
	}{
		{ch.ID, "wrong", "exists", http.StatusForbidden},
		{"unknown", token, "exists", http.StatusNotFound},
		{ch.ID, token, "sync", http.StatusNoContent},
	} {
		req, _ := http.NewRequest(http.MethodPost, ts.URL, nil)
		req.Header.Set("X-Goog-Channel-ID", tc.id)
		req.Header.Set("X-Goog-Channel-Token", tc.token)
		req.Header.Set("X-Goog-Resource-State", tc.state)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s/%s: %s, want %d", tc.id, tc.state, resp.Status, tc.status)
		}
	}
	select {
	case name := <-triggered:
		t.Errorf("triggered %q without a valid change notification", name)
	default:
	}

}

func TestPushChannelRenewAndStop(t *testing.T) {
	srv, c, clk := setup(t)
	hook := httptest.NewServer(http.NotFoundHandler())
	defer hook.Close()
	token := NewChannelToken()
	ch, err := c.Watch(t.Context(), ada, hook.URL, token)
	if err != nil {
		t.Fatal(err)
	}
	// Renewal: nothing to do a week ahead, a new channel a day before.
	if _, renewed, err := c.Renew(t.Context(), ch, 24*time.Hour); err != nil || renewed {
		t.Errorf("early renew: %v %v", renewed, err)
	}
	clk.Set(ch.Expiration.Add(-12 * time.Hour))
	next, renewed, err := c.Renew(t.Context(), ch, 24*time.Hour)
	if err != nil || !renewed || next.ID == ch.ID || next.Token != token {
		t.Fatalf("renew: %+v %v %v", next, renewed, err)
	}
	if chans := srv.Channels(); len(chans) != 1 || chans[0].ID != next.ID {
		t.Errorf("channels after renewal: %+v", chans)
	}
	if err := c.Stop(t.Context(), next); err != nil || len(srv.Channels()) != 0 {
		t.Errorf("stop: %v, %d channels left", err, len(srv.Channels()))
	}
	if err := c.Stop(t.Context(), next); err != nil {
		t.Errorf("stopping twice: %v", err)
	}
}
