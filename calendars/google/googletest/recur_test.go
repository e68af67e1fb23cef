package googletest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"
)

func starts(items []*calendar.Event) []string {
	var out []string
	for _, it := range items {
		if it.Start == nil {
			out = append(out, "cancelled")
		} else if it.Start.Date != "" {
			out = append(out, it.Start.Date)
		} else {
			out = append(out, it.Start.DateTime)
		}
	}
	return out
}

func TestExpansionAcrossDSTWithExdate(t *testing.T) {
	srv, svc, _ := setup(t)
	first := time.Date(2026, 3, 16, 10, 0, 0, 0, berlin)
	id, _ := srv.AddRecurring(ada, Recurring{Summary: "1:1", Start: first, TZ: "Europe/Berlin",
		RRule: "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260412T000000Z", ExDates: []time.Time{first.AddDate(0, 0, 7)},
		Attendees: []string{grace}})
	if rec := srv.Event(ada, id).Recurrence; !slices.Equal(rec, []string{
		"RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260412T000000Z", "EXDATE;TZID=Europe/Berlin:20260323T100000"}) {
		t.Errorf("recurrence %q", rec)
	}
	got, err := svc.Events.List(ada).SingleEvents(true).OrderBy("startTime").Do()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2026-03-16T10:00:00+01:00", "2026-03-30T10:00:00+02:00", "2026-04-06T10:00:00+02:00"}
	if !slices.Equal(starts(got.Items), want) {
		t.Errorf("instances %v, want %v", starts(got.Items), want)
	}
	if got.Items[1].Id != id+"_20260330T080000Z" || got.Items[1].RecurringEventId != id {
		t.Errorf("instance id %s", got.Items[1].Id)
	}
	inst, err := svc.Events.Instances(ada, id).TimeMin("2026-03-30T08:30:00Z").TimeMax("2026-04-10T00:00:00Z").Do()
	if err != nil {
		t.Fatal(err)
	}
	// timeMin of events.instances is inclusive of the end time.
	if !slices.Equal(starts(inst.Items), want[1:]) {
		t.Errorf("instances window %v", starts(inst.Items))
	}
}

func TestListTimeWindow(t *testing.T) {
	srv, svc, _ := setup(t)
	master, _ := weekly(srv)
	srv.MoveOccurrence(ada, master, monday.AddDate(0, 0, 21), monday.AddDate(0, 0, 9))
	got, err := svc.Events.List(ada).SingleEvents(true).OrderBy("startTime").
		TimeMin("2026-03-09T09:30:00Z").TimeMax("2026-03-17T00:00:00Z").Do()
	if err != nil {
		t.Fatal(err)
	}
	// 03-09 09:00Z-09:30Z ends exactly at timeMin (exclusive): left out.
	want := []string{"2026-03-11T10:00:00+01:00", "2026-03-16T10:00:00+01:00"}
	if !slices.Equal(starts(got.Items), want) {
		t.Errorf("window %v, want %v", starts(got.Items), want)
	}
	masters, err := svc.Events.List(ada).TimeMin("2027-01-01T00:00:00Z").Do()
	if err != nil || len(masters.Items) != 0 {
		t.Errorf("a series ended before timeMin is listed: %v %v", err, ids(masters.Items))
	}
	_, err = svc.Events.List(ada).TimeMin("2026-03-10T00:00:00Z").TimeMax("2026-03-09T00:00:00Z").Do()
	wantErr(t, err, 400)
}

func TestAllDayAndDailyRules(t *testing.T) {
	srv, svc, _ := setup(t)
	id, _ := srv.AddRecurring(ada, Recurring{Summary: "offsite", Start: monday, AllDay: true,
		RRule: "FREQ=DAILY;INTERVAL=2;COUNT=3"})
	inst, err := svc.Events.Instances(ada, id).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(starts(inst.Items), []string{"2026-03-02", "2026-03-04", "2026-03-06"}) {
		t.Errorf("all-day instances %v", starts(inst.Items))
	}
	if inst.Items[1].Id != id+"_20260304" || inst.Items[1].End.Date != "2026-03-05" ||
		inst.Items[1].OriginalStartTime.Date != "2026-03-04" {
		t.Errorf("all-day instance %+v", inst.Items[1])
	}
	srv.CancelOccurrence(ada, id, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC))
	inst, _ = svc.Events.Instances(ada, id).Do()
	if len(inst.Items) != 2 {
		t.Errorf("cancelled all-day instance still listed: %v", ids(inst.Items))
	}
	inst, _ = svc.Events.Instances(ada, id).ShowDeleted(true).Do()
	if len(inst.Items) != 3 || inst.Items[1].Status != "cancelled" {
		t.Errorf("showDeleted instances %v", ids(inst.Items))
	}
}

func TestSplitSeries(t *testing.T) {
	srv, svc, _ := setup(t)
	master, uid := weekly(srv)
	at := monday.AddDate(0, 0, 21)
	srv.MoveOccurrence(ada, master, monday.AddDate(0, 0, 28), monday.AddDate(0, 0, 29))
	newID, newUID := srv.SplitSeries(ada, master, at, func(r *Recurring) {
		r.Start = r.Start.Add(2 * time.Hour)
		r.Summary = "Ada / Grace 1:1 (afternoon)"
	})
	if newID != master+"_R20260323T090000" || newUID != strings.TrimSuffix(uid, "@google.com")+"_R20260323T090000@google.com" {
		t.Errorf("new series %s %s", newID, newUID)
	}
	old := srv.Event(ada, master)
	if old.Recurrence[0] != "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260323T085959Z" {
		t.Errorf("old rule %v", old.Recurrence)
	}
	oldInst, _ := svc.Events.Instances(ada, master).Do()
	newInst, _ := svc.Events.Instances(ada, newID).Do()
	if len(oldInst.Items) != 3 || len(newInst.Items) != 7 || newInst.Items[0].Start.DateTime != "2026-03-23T12:00:00+01:00" {
		t.Errorf("old %v new %v", starts(oldInst.Items), starts(newInst.Items))
	}
	if ex := srv.Event(ada, master+"_20260330T080000Z"); ex.Status != "cancelled" {
		t.Errorf("exception after the split: %+v", ex)
	}
	if g := srv.Event(grace, newID); g.ICalUID != newUID {
		t.Errorf("grace's copy of the new series: %+v", g)
	}
}

func TestHTMLDescriptions(t *testing.T) {
	srv, svc, _ := setup(t)
	master, _ := weekly(srv)
	srv.SetHTMLDescriptions(true)
	text := "Notes\n--- oneonone agenda ---\n* a < b & c\nhttps://x.example/p?a=1&b=2.\n--- end ---"
	srv.SetDescription(ada, master, text)
	want := "Notes<br>--- oneonone agenda ---<br>* a &lt; b &amp; c<br>" +
		`<a href="https://x.example/p?a=1&amp;b=2">https://x.example/p?a=1&amp;b=2</a>.<br>--- end ---`
	if got := srv.Event(ada, master).Description; got != want {
		t.Errorf("description\n got %s\nwant %s", got, want)
	}
	if again := webUIHTML(want); again != want {
		t.Errorf("rewriting is not idempotent:\n%s", again)
	}
	got, err := svc.Events.Patch(ada, master, &calendar.Event{Description: "one\ntwo"}).Do()
	if err != nil || got.Description != "one<br>two" {
		t.Errorf("patched description %q %v", got.Description, err)
	}
}

func TestListFiltersAndTimeZone(t *testing.T) {
	srv, svc, _ := setup(t)
	_, uid := weekly(srv)
	single, _ := srv.AddRecurring(ada, Recurring{Summary: "Dentist", Start: monday.Add(4 * time.Hour)})
	got, err := svc.Events.List(ada).ICalUID(uid).Do()
	if err != nil || len(got.Items) != 1 || got.Items[0].ICalUID != uid {
		t.Errorf("iCalUID filter: %v %v", err, ids(got.Items))
	}
	got, err = svc.Events.List(ada).Q("dentist").Do()
	if err != nil || !slices.Equal(ids(got.Items), []string{single}) {
		t.Errorf("q filter: %v %v", err, ids(got.Items))
	}
	got, err = svc.Events.List(ada).SingleEvents(true).TimeZone("America/New_York").MaxResults(1).Do()
	if err != nil || got.Items[0].Start.DateTime != "2026-03-02T04:00:00-05:00" {
		t.Errorf("timeZone: %v %v", err, starts(got.Items))
	}
	srv.DeleteEvent(ada, single)
	got, _ = svc.Events.List(ada).Do()
	if len(got.Items) != 1 {
		t.Errorf("deleted event listed without showDeleted: %v", ids(got.Items))
	}
	got, _ = svc.Events.List(ada).ShowDeleted(true).Do()
	if len(got.Items) != 2 || got.Items[1].Status != "cancelled" || got.Items[1].Summary != "Dentist" {
		t.Errorf("showDeleted keeps the organizer's details: %+v", got.Items)
	}
}
