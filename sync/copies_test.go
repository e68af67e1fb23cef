package sync_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/sync"
)

// TestSameMeetingInBothCalendarsIsOneSeries: Ada (the organizer) and
// Grace each have the meeting in their own calendar. It is one series,
// one pair, one history, and Ada's copy is the one marked writable.
func TestSameMeetingInBothCalendarsIsOneSeries(t *testing.T) {
	w := newWorld(t)
	w.srv.Stop()
	srv := caldavtest.StartRadicale(t, caldavtest.User{Name: "ada", Password: "pw"}, caldavtest.User{Name: "grace", Password: "pw"})
	cal := func(user, email string) sync.Calendar {
		col := srv.MakeCalendar(t, user, "work")
		srv.Put(t, user, col+"a.ics", []byte(event{uid: "shared"}.ics()))
		c, err := caldav.New(col, caldav.Options{Username: user, Password: "pw"})
		if err != nil {
			t.Fatal(err)
		}
		return sync.Calendar{Name: user, Kind: "caldav", Owner: email, Feed: caldav.Feed{Client: c, Collection: col}, Rules: calendars.DefaultRules()}
	}
	grace, ada := cal("grace", "grace@example.com"), cal("ada", "ada@example.com")
	all := []sync.Calendar{grace, ada}
	for _, s := range w.engine.SyncAll(context.Background(), all) {
		if s.Err != nil {
			t.Fatal(s.Err)
		}
	}
	list, err := sync.ListSeries(context.Background(), w.db, w.now)
	if err != nil || len(list) != 1 {
		t.Fatalf("series: %+v, %v", list, err)
	}
	if list[0].Calendar != "ada" || !list[0].Writable {
		t.Errorf("writable copy is %q (organizer copy %v), want ada's", list[0].Calendar, list[0].Writable)
	}
	if h, _ := w.history(0); len(h) != 1 {
		t.Errorf("history %q, want one created", h)
	}
}

// TestStaleSyncTokenResyncsWithoutDuplicates: the server forgets the
// token; the full resync reconciles by href and records each change once.
func TestStaleSyncTokenResyncsWithoutDuplicates(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	_, last := w.history(0)
	forgetSyncToken(t, w.db, "http://radicale.org/ns/sync/forgotten")
	w.put("a.ics", event{uid: "a", extra: "EXDATE;TZID=Europe/Berlin:20261201T100000\r\n"}.ics())
	s := w.sync()
	if !s.Resynced {
		t.Error("a forgotten token did not cause a resync")
	}
	h, last := w.history(last)
	want(t, h, "cancelled 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→")
	if s := w.sync(); s.Requests != 1 || s.Events != 0 {
		t.Errorf("after the resync, an idle poll made %d requests and %d events", s.Requests, s.Events)
	}
	if h, _ := w.history(last); len(h) != 0 {
		t.Errorf("history repeated: %q", h)
	}
}

// forgetSyncToken replaces the sync token in every calendar's cursor.
func forgetSyncToken(t *testing.T, d *sql.DB, token string) {
	t.Helper()
	var raw string
	if err := d.QueryRow(`SELECT cursor FROM calendars`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	cursor := map[string]any{}
	if err := json.Unmarshal([]byte(raw), &cursor); err != nil {
		t.Fatal(err)
	}
	cursor["sync_token"] = token
	b, _ := json.Marshal(cursor)
	if _, err := d.Exec(`UPDATE calendars SET cursor = ?`, string(b)); err != nil {
		t.Fatal(err)
	}
}
