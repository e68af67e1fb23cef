package google

import (
	"errors"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/google/googletest"
	"github.com/oneonone/oneonone/calendars/testkit"
)

const secretRT = "1//refresh-token-that-must-never-be-stored-in-clear"

// userClient connects grace with refresh token rt and returns her client.
func userClient(t *testing.T, srv *googletest.Server, store Tokens, rt string, clk *testkit.Clock) *Client {
	t.Helper()
	srv.AddRefreshToken(rt, grace)
	if err := store.Save(t.Context(), grace, rt); err != nil {
		t.Fatal(err)
	}
	opt := options(clk)
	opt.Endpoint, opt.ConnectURL = srv.URL, "https://1on1.example.com/connect/google"
	c, err := NewUser(t.Context(), OAuthApp{TokenURL: srv.TokenURL()}, store, grace, opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRevokedGrantAsksToReconnectOnce(t *testing.T) {
	srv, _, clk := setup(t)
	store := newMemTokens()
	c := userClient(t, srv, store, "rt-grace", clk)
	if _, _, err := c.Changes(t.Context(), grace, Cursor{}); err != nil {
		t.Fatal(err)
	}
	srv.RevokeRefreshToken("rt-grace")
	srv.ResetRequestLog()
	ch, _, err := c.Changes(t.Context(), grace, Cursor{})
	var re *ReconnectError
	if !errors.Is(err, ErrReconnect) || !errors.As(err, &re) || re.Account != grace {
		t.Fatalf("revoked: %v", err)
	}
	for _, want := range []string{"oneonone connect google", "https://1on1.example.com/connect/google", grace, "invalid_grant"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message %q does not say %q", err, want)
		}
	}
	// The revoked access token answered 401 once; one refresh said
	// invalid_grant; nothing was retried after that.
	if ch.Requests != 1 || count(srv, "token") != 1 || len(clk.Slept()) != 0 {
		t.Errorf("%d API requests, %d token requests, slept %v", ch.Requests, count(srv, "token"), clk.Slept())
	}
	srv.ResetRequestLog()
	if _, _, err := c.Changes(t.Context(), grace, Cursor{}); !errors.Is(err, ErrReconnect) || srv.RequestCount() != 1 {
		t.Errorf("next poll: %v after %d requests, want one token request", err, srv.RequestCount())
	}

	// Connecting again (a new grant stored) heals the same client.
	srv.AddRefreshToken("rt-grace-2", grace)
	store.Save(t.Context(), grace, "rt-grace-2")
	if _, _, err := c.Changes(t.Context(), grace, Cursor{}); err != nil {
		t.Errorf("after reconnecting: %v", err)
	}
}

func TestNoStoredGrantAsksToConnect(t *testing.T) {
	srv, _, clk := setup(t)
	store := newMemTokens()
	c, err := NewUser(t.Context(), OAuthApp{TokenURL: srv.TokenURL()}, store, grace, Options{Endpoint: srv.URL, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Changes(t.Context(), grace, Cursor{})
	if !errors.Is(err, ErrReconnect) || !strings.Contains(err.Error(), "oneonone connect google") || srv.RequestCount() != 0 {
		t.Errorf("no grant: %v (%d requests)", err, srv.RequestCount())
	}
}

func TestRefreshedGrantIsStoredAgain(t *testing.T) {
	srv, _, clk := setup(t)
	srv.SetRefreshTokenRotation(true)
	store := newMemTokens()
	c := userClient(t, srv, store, "rt-1", clk)
	if _, _, err := c.Changes(t.Context(), grace, Cursor{}); err != nil {
		t.Fatal(err)
	}
	rt, err := store.Load(t.Context(), grace)
	if err != nil || rt == "rt-1" || rt == "" {
		t.Fatalf("stored after the refresh: %q, %v", rt, err)
	}
	// A restarted daemon (a new client) works with what was stored.
	opt := options(clk)
	opt.Endpoint = srv.URL
	again, _ := NewUser(t.Context(), OAuthApp{TokenURL: srv.TokenURL()}, store, grace, opt)
	if _, _, err := again.Changes(t.Context(), grace, Cursor{}); err != nil {
		t.Errorf("after a restart: %v", err)
	}
}

func TestServiceAccountRefusedForAUser(t *testing.T) {
	srv, _, clk := setup(t)
	srv.RejectSubject(grace)
	c := serviceClient(t, srv, grace, options(clk))
	_, _, err := c.Changes(t.Context(), grace, Cursor{})
	var re *ReconnectError
	if !errors.As(err, &re) || !re.ServiceAccount || !strings.Contains(err.Error(), "domain-wide delegation") || count(srv, "token") != 1 {
		t.Errorf("rejected subject: %v, %d token requests", err, count(srv, "token"))
	}
	if _, err := NewServiceAccount(t.Context(), []byte(`{"type":"authorized_user"}`), ada, Options{}); err == nil {
		t.Error("a key that is not a service account's was accepted")
	}
	if _, err := NewServiceAccount(t.Context(), srv.ServiceAccountKey(), "", Options{}); err == nil {
		t.Error("a service account without subject was accepted")
	}
}
