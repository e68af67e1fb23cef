package google

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Channels opens a channel per calendar whose notifications (with the
// channel's token) trigger the sync, and a forged one does not; the
// channel is kept while it has long to live and replaced before it
// expires, after which the old channel's notifications are refused.
func TestChannelsOpenAndRenew(t *testing.T) {
	srv, c, clk := setup(t)
	woke := make(chan string, 8)
	hook := &Webhook{Trigger: func(name string) { woke <- name }}
	ts := httptest.NewServer(hook)
	t.Cleanup(ts.Close)
	p := &Channels{Hook: hook, Log: slog.New(slog.DiscardHandler),
		Calendars: func() map[string]Watched { return map[string]Watched{"ada": {Client: c, CalendarID: ada}} }}
	p.Renew(context.Background(), ts.URL)
	first := p.Channel("ada")
	<-time.After(10 * time.Millisecond)
	select { // the confirming "sync" message must not wake it
	case <-woke:
		t.Fatal("the channel's sync message woke the sync")
	default:
	}
	if err := srv.Notify(ada); err != nil {
		t.Fatal(err)
	}
	select {
	case name := <-woke:
		if name != "ada" {
			t.Errorf("woke for %q, want ada", name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a notification did not wake the sync")
	}
	if status := notify(t, ts.URL, first.ID, "forged"); status != http.StatusForbidden {
		t.Errorf("forged notification: %d, want 403", status)
	}
	p.Renew(context.Background(), ts.URL)
	if p.Channel("ada").ID != first.ID {
		t.Errorf("a channel with long to live was replaced")
	}
	clk.Set(first.Expiration.Add(-30 * time.Minute))
	p.Renew(context.Background(), ts.URL)
	if next := p.Channel("ada"); next.ID == first.ID || next.ID == "" {
		t.Errorf("a channel expiring within the hour was not replaced: %+v", next)
	}
	if status := notify(t, ts.URL, first.ID, first.Token); status != http.StatusNotFound {
		t.Errorf("notification on the replaced channel: %d, want 404", status)
	}
	select {
	case name := <-woke:
		t.Errorf("a refused notification woke the sync for %q", name)
	default:
	}
}

func notify(t *testing.T, url, channelID, token string) int {
	req, _ := http.NewRequest(http.MethodPost, url, nil)
	req.Header.Set("X-Goog-Channel-ID", channelID)
	req.Header.Set("X-Goog-Channel-Token", token)
	req.Header.Set("X-Goog-Resource-State", "exists")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// failingStore keeps channels in memory and refuses saves while failing.
type failingStore struct {
	failing bool
	saved   map[string]Channel
}

func (s *failingStore) SaveChannel(_ context.Context, calendar string, ch Channel) error {
	if s.failing {
		return errors.New("database away")
	}
	s.saved[calendar] = ch
	return nil
}

func (s *failingStore) Channel(_ context.Context, calendar string) (Channel, bool, error) {
	ch, ok := s.saved[calendar]
	return ch, ok, nil
}

func (s *failingStore) ChannelByID(context.Context, string) (Channel, string, bool, error) {
	return Channel{}, "", false, nil
}

func (s *failingStore) DeleteChannel(context.Context, string) error { return nil }

// A channel whose save failed is saved at the next round (other
// instances refuse its notifications until it is stored), not left
// unsaved because it is kept.
func TestChannelsSaveAgainAfterAFailedSave(t *testing.T) {
	_, c, _ := setup(t)
	hook := &Webhook{Trigger: func(string) {}}
	ts := httptest.NewServer(hook)
	t.Cleanup(ts.Close)
	store := &failingStore{failing: true, saved: map[string]Channel{}}
	p := &Channels{Hook: hook, Store: store,
		Calendars: func() map[string]Watched { return map[string]Watched{"ada": {Client: c, CalendarID: ada}} }}
	p.Renew(context.Background(), ts.URL)
	first := p.Channel("ada")
	if first.ID == "" || len(store.saved) != 0 {
		t.Fatalf("first round: channel %+v, stored %v", first, store.saved)
	}
	store.failing = false
	p.Renew(context.Background(), ts.URL)
	if got := store.saved["ada"]; got.ID != first.ID {
		t.Errorf("after the database came back: stored %+v, want the kept channel %s", got, first.ID)
	}
}
