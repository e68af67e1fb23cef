package sync_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

// TestAgendaIntoTheSharedGoogleEvent: a Google calendar set up with its
// writer and calendars.OneEvent gets the agenda into the organizer's
// event, one patch, and both people are reached; `series` plans the same
// when told that google calendars share one event, and a mail for the
// guest when told nothing.
func TestAgendaIntoTheSharedGoogleEvent(t *testing.T) {
	w := newGoogleWorld(t)
	w.weekly()
	w.sync()
	f := w.cal.Feed.(google.Feed)
	w.cal.Writer, w.cal.Sharing = google.Writer{Client: f.Client, CalendarID: f.CalendarID}, calendars.OneEvent

	key := "2026-12-01T09:00:00Z"
	m := prep.Meeting{SeriesUID: w.seriesUID(), RecurrenceID: key, End: tuesday(1, 12).Add(30 * time.Minute), Organizer: gAda,
		People: [2]prep.Person{{Email: gAda}, {Email: gGrace}}}
	ws := sync.AgendaWriters{DB: w.db, Now: w.clock.Now, Calendars: func() []sync.Calendar { return []sync.Calendar{w.cal} }}
	reached, err := ws.WriteAgenda(context.Background(), m, "- Ada: hiring")
	if err != nil || !slices.Equal(reached, []string{gAda, gGrace}) || len(w.srv.Requests("events.patch")) != 1 {
		t.Errorf("reached %v, %v, %d patches", reached, err, len(w.srv.Requests("events.patch")))
	}

	routes := func(sharing sync.KindSharing) []sync.AgendaRoute {
		list, err := sync.ListSeries(context.Background(), w.db, w.clock.Now(), sharing)
		if err != nil || len(list) != 1 {
			t.Fatalf("series %+v, %v", list, err)
		}
		return list[0].Agenda
	}
	shared := routes(func(kind string) calendars.Sharing {
		if kind == "google" {
			return calendars.OneEvent
		}
		return calendars.OwnCopies
	})
	if len(shared) != 2 || shared[1].Via != "calendar" || !slices.Equal(shared[1].Calendars, []string{"ada"}) ||
		!strings.Contains(shared[1].Why, "organizer's event") {
		t.Errorf("with google sharing one event: %+v", shared)
	}
	if own := routes(nil); len(own) != 2 || own[0].Via != "calendar" || own[1].Via != "mail" {
		t.Errorf("with every copy its owner's own: %+v", own)
	}
}

// seriesUID is the UID of the one series synced.
func (w *gworld) seriesUID() string {
	var uid string
	if err := w.db.QueryRow(`SELECT uid FROM series`).Scan(&uid); err != nil {
		w.t.Fatal(err)
	}
	return uid
}
