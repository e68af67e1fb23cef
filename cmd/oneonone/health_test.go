package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// /readyz reports the calendars of the config in force (also those found
// under a configured name); a calendar removed from the config or
// disabled, unhealthy when it went, no longer holds readiness down.
func TestReadyzOnlyConfiguredCalendars(t *testing.T) {
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"), sync.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, row := range []struct {
		name    string
		healthy bool
	}{{"ada", true}, {"ada/work", true}, {"gone", false}, {"paused", false}, {"adam", false}} {
		if _, err := d.Exec(`INSERT INTO calendars (name, kind, healthy, last_error) VALUES (?, 'caldav', ?, 'down')`, row.name, row.healthy); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &config.Config{Calendars: []config.Calendar{{Name: "ada", Enabled: true}, {Name: "paused", Enabled: false}}}
	dm := &daemon{app: &app{cfg: cfg, db: d}}
	w := httptest.NewRecorder()
	dm.readyz(w, httptest.NewRequest("GET", "/readyz", nil))
	var got readiness
	json.Unmarshal(w.Body.Bytes(), &got)
	if w.Code != 200 || len(got.Calendars) != 2 || got.Calendars["ada"] != "ok" || got.Calendars["ada/work"] != "ok" {
		t.Errorf("/readyz: %d %s; want 200 with ada and ada/work only", w.Code, w.Body)
	}
	cfg.Calendars = append(cfg.Calendars, config.Calendar{Name: "gone", Enabled: true})
	w = httptest.NewRecorder()
	dm.readyz(w, httptest.NewRequest("GET", "/readyz", nil))
	if w.Code != 503 {
		t.Errorf("/readyz with the unhealthy calendar configured: %d %s; want 503", w.Code, w.Body)
	}
}
