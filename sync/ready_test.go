package sync

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/oneonone/oneonone/sync/db"
)

// /readyz reports the calendars of the config in force (also those found
// under a configured name); a calendar removed from the config or
// disabled, unhealthy when it went, no longer holds readiness down.
func TestReadyzOnlyConfiguredCalendars(t *testing.T) {
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"), Schema)
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
	configured := map[string]bool{"ada": true, "ada/work": true}
	r := Ready{DB: d, Mail: func() string { return "" }, Configured: func(name string) bool { return configured[name] }}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
	var got Readiness
	json.Unmarshal(w.Body.Bytes(), &got)
	if w.Code != 200 || len(got.Calendars) != 2 || got.Calendars["ada"] != "ok" || got.Calendars["ada/work"] != "ok" || got.Store != "sqlite" {
		t.Errorf("/readyz: %d %s; want 200 with ada and ada/work only", w.Code, w.Body)
	}
	configured["gone"] = true
	w = httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
	if w.Code != 503 || !json.Valid(w.Body.Bytes()) {
		t.Errorf("/readyz with the unhealthy calendar configured: %d %s; want 503", w.Code, w.Body)
	}
	configured["gone"] = false
	r.Mail = func() string { return "smtp: 535 login refused" }
	w = httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
	got = Readiness{}
	json.Unmarshal(w.Body.Bytes(), &got)
	if w.Code != 503 || got.Mail != "smtp: 535 login refused" {
		t.Errorf("/readyz with mail refused: %d %s; want 503 naming the mail problem", w.Code, w.Body)
	}
}
