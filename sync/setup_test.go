package sync_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// A calendar that fails to set up has an unhealthy row with the reason
// from the start. Once it works under other names ("ada/work"), the row
// under the config name goes; if something was synced under that name
// before, the row stays but stops reporting the old failure.
func TestSetupFailedThenDone(t *testing.T) {
	ctx := context.Background()
	d := dbtest.OpenEnv(t, sync.Schema)
	e := &sync.Engine{DB: d, Now: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }}
	row := func(name string) (healthy bool, lastErr string, ok bool) {
		err := d.QueryRow(`SELECT healthy, last_error FROM calendars WHERE name = ?`, name).Scan(&healthy, &lastErr)
		return healthy, lastErr, err == nil
	}
	sum := e.SetupFailed(ctx, "ada", "caldav", "https://dav.example.com/", errors.New("calendar ada: 502 Bad Gateway"))
	if sum.Calendar != "ada" || sum.Err == nil {
		t.Errorf("summary %+v", sum)
	}
	if healthy, lastErr, ok := row("ada"); !ok || healthy || lastErr != "calendar ada: 502 Bad Gateway" {
		t.Fatalf("after a failed set-up: row %v, healthy %v, %q", ok, healthy, lastErr)
	}
	if err := e.SetupDone(ctx, "ada", []sync.Calendar{{Name: "ada"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := row("ada"); !ok {
		t.Fatal("set up under its own name, the row went (its sync sets its health)")
	}
	if err := e.SetupDone(ctx, "ada", []sync.Calendar{{Name: "ada/work"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := row("ada"); ok {
		t.Error("found as ada/work, the unhealthy row under ada stayed")
	}

	e.SetupFailed(ctx, "grace", "caldav", "https://dav.example.com/", errors.New("down"))
	if _, err := d.Exec(`INSERT INTO calendar_objects (calendar_id, href, etag, uid, data) SELECT id, '/a.ics', '"1"', 'u', '' FROM calendars WHERE name = 'grace'`); err != nil {
		t.Fatal(err)
	}
	if err := e.SetupDone(ctx, "grace", []sync.Calendar{{Name: "grace/home"}}); err != nil {
		t.Fatal(err)
	}
	if healthy, lastErr, ok := row("grace"); !ok || !healthy || lastErr != "" {
		t.Errorf("a row holding synced data: kept %v, healthy %v, %q; want kept and no longer failing", ok, healthy, lastErr)
	}
}
