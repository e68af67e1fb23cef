package store

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// A channel one instance opened and stored is accepted by another
// instance's webhook, which never saw it: the notification names the
// calendar; a wrong token and an unknown channel trigger nothing. The
// token itself is not in the database.
func TestStoredChannelReachesAnyInstance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		d := open(t, channelSchema(t))
		channels := ChannelStore{DB: d}
		ch := google.Channel{ID: "chan-1", ResourceID: "res-1", CalendarID: "grace@example.com", Address: "https://1on1.example.com/google/push",
			Token: "the-channel-token", Expiration: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
		if err := channels.SaveChannel(t.Context(), "grace", ch); err != nil {
			t.Fatal(err)
		}
		var triggered []string
		other := &google.Webhook{Store: channels, Trigger: func(name string) { triggered = append(triggered, name) }}
		notify := func(id, token string) int {
			r := httptest.NewRequest(http.MethodPost, "/google/push", nil)
			r.Header.Set("X-Goog-Channel-ID", id)
			r.Header.Set("X-Goog-Channel-Token", token)
			r.Header.Set("X-Goog-Resource-State", "exists")
			w := httptest.NewRecorder()
			other.ServeHTTP(w, r)
			return w.Code
		}
		if code := notify("chan-1", "the-channel-token"); code != http.StatusNoContent || len(triggered) != 1 || triggered[0] != "grace" {
			t.Errorf("notification of a stored channel: %d, triggered %v; want 204 for grace", code, triggered)
		}
		if code := notify("chan-1", "forged"); code != http.StatusForbidden || len(triggered) != 1 {
			t.Errorf("wrong token: %d, triggered %v; want 403 and nothing", code, triggered)
		}
		if code := notify("chan-2", "the-channel-token"); code != http.StatusNotFound || len(triggered) != 1 {
			t.Errorf("unknown channel: %d, triggered %v; want 404 and nothing", code, triggered)
		}
		var hash string
		if err := d.QueryRow(`SELECT token_hash FROM google_channels WHERE calendar = 'grace'`).Scan(&hash); err != nil || strings.Contains(hash, "the-channel-token") || hash != ch.TokenHash() {
			t.Errorf("stored token %q (%v), want its hash alone", hash, err)
		}
		got, ok, err := channels.Channel(t.Context(), "grace")
		if err != nil || !ok || got.ID != "chan-1" || !got.Expiration.Equal(ch.Expiration) || got.Token != "" {
			t.Errorf("stored channel read back: %+v %v %v", got, ok, err)
		}
	})
}

// channelSchema is the channels table alone (it refers to no other), so
// that the test runs on PostgreSQL whatever else of the schema does.
func channelSchema(t *testing.T) db.Schema {
	const name = "0002_channels.sql"
	body, err := fs.ReadFile(Schema.FS, path.Join(Schema.Dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return db.Schema{Owner: "google_channels_test", FS: fstest.MapFS{"m/" + name: {Data: body}}, Dir: "m"}
}
