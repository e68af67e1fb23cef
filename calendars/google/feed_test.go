package google_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/google/googletest"
)

const ada = "ada@example.com"

func tuesday(day int, month time.Month) time.Time {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	return time.Date(2026, month, day, 10, 0, 0, 0, berlin)
}

func TestUnreadableCursorCostsAResyncNotTheData(t *testing.T) {
	srv := googletest.New()
	defer srv.Close()
	srv.AddCalendar(ada, ada)
	srv.AddRecurring(ada, googletest.Recurring{Summary: "s", Start: tuesday(3, 11), TZ: "Europe/Berlin", RRule: "FREQ=WEEKLY"})
	client, err := google.NewServiceAccount(t.Context(), srv.ServiceAccountKey(), ada, google.Options{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	f := google.Feed{Client: client, CalendarID: ada}
	d, cursor, err := f.Changes(t.Context(), "{not json")
	if err != nil || !d.Resynced || len(d.Updated) != 1 {
		t.Fatalf("unreadable cursor: %v, %+v", err, d)
	}
	var cur google.Cursor
	if err := json.Unmarshal([]byte(cursor), &cur); err != nil || cur.SyncToken == "" || len(cur.Events) != 1 {
		t.Errorf("cursor %s (%v)", cursor, err)
	}
	srv.FailNext("events.list", 400, "", "")
	if _, again, err := f.Changes(t.Context(), cursor); err == nil || again != cursor {
		t.Errorf("a failed poll moved the cursor: %v", err)
	}
}
