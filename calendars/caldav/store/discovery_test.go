package store_test

import (
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/store"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// A stored discovery counts for its URL and username only, a second save
// replaces the first, and Forget drops it — on both dialects.
func TestDiscoveryStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		ctx := t.Context()
		now := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
		s := store.NewDiscoveryStore(open(t, store.Schema), now)
		const url = "https://dav.example.com/"
		work := []caldav.Calendar{{URL: "https://dav.example.com/ada/work/", Name: "Work"}}
		if err := s.Save(ctx, "ada", url, "ada", work); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.Load(ctx, "ada", url, "grace"); ok || err != nil {
			t.Fatalf("another username got the stored discovery (%v)", err)
		}
		home := []caldav.Calendar{{URL: "https://dav.example.com/ada/home/", Name: "Home"}}
		if err := s.Save(ctx, "ada", url, "ada", home); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Load(ctx, "ada", url, "ada")
		if err != nil || !ok || len(got) != 1 || got[0].URL != home[0].URL {
			t.Fatalf("load: %+v %v %v, want the second save", got, ok, err)
		}
		if err := s.Forget(ctx, "ada"); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.Load(ctx, "ada", url, "ada"); ok || err != nil {
			t.Fatalf("after forget: %v %v", ok, err)
		}
	})
}
