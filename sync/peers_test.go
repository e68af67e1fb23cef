package sync_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// TestXandikosBasics runs the basic scenarios against a second CalDAV
// implementation.
func TestXandikosBasics(t *testing.T) {
	old := startPeer
	startPeer = func(t testing.TB) *caldavtest.Server { return caldavtest.StartXandikos(t) }
	defer func() { startPeer = old }()
	t.Run("initial and idle", TestInitialAndIdleSync)
	t.Run("moved and back", TestMovedAndMovedBack)
	t.Run("cancelled and restored", TestCancelledByExdateAndByOverrideThenRestored)
	t.Run("deleted", TestDeletedSeriesAndHeld)
}

// TestServerRestartMidSync: the server goes away between two syncs and
// comes back. The failed sync records nothing but the calendar's health;
// the next one records the change once.
func TestServerRestartMidSync(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	_, last := w.history(0)
	moved := "RECURRENCE-ID;TZID=Europe/Berlin:20261201T100000\r\nDTSTART;TZID=Europe/Berlin:20261202T150000\r\n"
	w.put("a.ics", event{uid: "a", overrides: []string{moved}}.ics())
	w.srv.Stop()
	s := w.engine.SyncOne(context.Background(), w.cal, []sync.Calendar{w.cal})
	if s.Err == nil {
		t.Fatal("sync against a stopped server succeeded")
	}
	var healthy bool
	if err := w.db.QueryRow(`SELECT healthy FROM calendars WHERE name = 'ada'`).Scan(&healthy); err != nil {
		t.Fatal(err)
	}
	if h, _ := w.history(last); len(h) != 0 || healthy {
		t.Fatalf("failed sync: history %q, healthy %v", h, healthy)
	}
	w.srv.Restart(t)
	w.sync()
	h, _ := w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→2026-12-02T15:00:00+01:00")
	if err := w.db.QueryRow(`SELECT healthy FROM calendars WHERE name = 'ada'`).Scan(&healthy); err != nil {
		t.Fatal(err)
	}
	if !healthy {
		t.Error("calendar still unhealthy after a good sync")
	}
}

// TestUpgradeFromFrozenSchema opens a database written by the first
// release (testdata/schema-0001.sql, frozen: never edit it) and checks that
// migrating keeps its data and syncing goes on from its cursor.
func TestUpgradeFromFrozenSchema(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "old.db")
	frozen := loadFrozen(t, "testdata/schema-0001.sql")
	d, err := db.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(frozen); err != nil {
		t.Fatalf("frozen schema: %v", err)
	}
	d.Close()
	d, err = db.Open(ctx, file, sync.Schema)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer d.Close()
	events, err := sync.History(ctx, d, []string{"grace@example.com", "ada@example.com"})
	if err != nil || len(events) != 2 || events[1].Kind != "moved" {
		t.Fatalf("history after upgrade: %+v, %v", events, err)
	}
	list, err := sync.ListSeries(ctx, d, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), nil)
	if err != nil || len(list) != 1 || list[0].Next == nil || !strings.HasPrefix(*list[0].Next, "2026-11-24") {
		t.Fatalf("series after upgrade: %+v, %v", list, err)
	}
}

func loadFrozen(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
