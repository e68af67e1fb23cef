package googletest

import (
	"strings"
	"testing"

	"google.golang.org/api/calendar/v3"
)

func TestStaleIfMatchIs412(t *testing.T) {
	srv, svc, _ := setup(t)
	master, _ := weekly(srv)
	ev, err := svc.Events.Get(ada, master).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ev.Etag, `"`) || !strings.HasSuffix(ev.Etag, `"`) {
		t.Errorf("etag %s is not quoted", ev.Etag)
	}
	srv.SetDescription(ada, master, "changed in the web UI")
	call := svc.Events.Patch(ada, master, &calendar.Event{Description: "mine"})
	call.Header().Set("If-Match", ev.Etag)
	_, err = call.Do()
	if e := wantErr(t, err, 412); reason(e) != "conditionNotMet" {
		t.Errorf("reason %q", reason(e))
	}
	fresh := srv.Event(ada, master)
	call = svc.Events.Patch(ada, master, &calendar.Event{Description: "mine"})
	call.Header().Set("If-Match", fresh.Etag)
	got, err := call.Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Etag == fresh.Etag || got.Description != "mine" || got.Summary != "Ada / Grace 1:1" {
		t.Errorf("patch result: etag %s (was %s), description %q, summary %q", got.Etag, fresh.Etag, got.Description, got.Summary)
	}
}

func TestPatchInstanceCreatesException(t *testing.T) {
	srv, svc, _ := setup(t)
	master, uid := weekly(srv)
	instances, err := svc.Events.Instances(ada, master).Do()
	if err != nil {
		t.Fatal(err)
	}
	third := instances.Items[2]
	wantID := master + "_20260316T090000Z"
	if third.Id != wantID || third.OriginalStartTime.DateTime != "2026-03-16T10:00:00+01:00" {
		t.Fatalf("third instance %s %+v", third.Id, third.OriginalStartTime)
	}
	got, err := svc.Events.Patch(ada, third.Id, &calendar.Event{Description: "agenda"}).SendUpdates("none").Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Id != wantID || got.RecurringEventId != master || got.ICalUID != uid || got.Description != "agenda" ||
		got.OriginalStartTime.DateTime != "2026-03-16T10:00:00+01:00" || got.OriginalStartTime.TimeZone != "Europe/Berlin" ||
		got.Start.DateTime != "2026-03-16T10:00:00+01:00" || got.Recurrence != nil {
		t.Errorf("exception = %+v", got)
	}
	if srv.Event(ada, master).Description != "" {
		t.Error("patching an instance changed the master")
	}
	if r := srv.Requests("events.patch"); len(r) != 1 || r[0].SendUpdates != "none" {
		t.Errorf("logged patches: %+v", r)
	}
	again, err := svc.Events.Instances(ada, master).Do()
	if err != nil || len(again.Items) != 10 || again.Items[2].Description != "agenda" || again.Items[2].Etag != got.Etag {
		t.Fatalf("instances after patch: %v %v", err, ids(again.Items))
	}
	if grace := srv.Event(grace, wantID); grace.Description != "agenda" || grace.Etag == got.Etag {
		t.Errorf("grace's copy of the exception: %q etag %s", grace.Description, grace.Etag)
	}
}

func TestInstanceIDMustBeAnOccurrence(t *testing.T) {
	srv, svc, _ := setup(t)
	master, _ := weekly(srv)
	for _, id := range []string{master + "_20260310T090000Z", master + "_20260316", master + "_20270104T090000Z"} {
		_, err := svc.Events.Patch(ada, id, &calendar.Event{Description: "x"}).Do()
		wantErr(t, err, 404)
	}
}

func TestNonOrganizerPatchIsForbidden(t *testing.T) {
	srv, _, _ := setup(t)
	master, _ := weekly(srv)
	gsvc := service(t, srv, grace)
	inst := master + "_20260309T090000Z"
	_, err := gsvc.Events.Patch(grace, inst, &calendar.Event{Description: "agenda"}).Do()
	if e := wantErr(t, err, 403); reason(e) != "forbiddenForNonOrganizer" {
		t.Errorf("reason %q", reason(e))
	}
	// Their own reminders are theirs to change.
	rem := &calendar.EventReminders{UseDefault: false, ForceSendFields: []string{"UseDefault"}}
	if _, err := gsvc.Events.Patch(grace, master, &calendar.Event{Reminders: rem}).Do(); err != nil {
		t.Errorf("attendee changing reminders: %v", err)
	}
	srv.SetSilentNoop(grace, true)
	before := srv.Event(grace, master)
	got, err := gsvc.Events.Patch(grace, master, &calendar.Event{Description: "agenda"}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Description != "" || got.Etag != before.Etag {
		t.Errorf("silent no-op changed the event: %q %s", got.Description, got.Etag)
	}
}

func TestSetOrganizerDecidesWhoMayWrite(t *testing.T) {
	srv, svc, _ := setup(t)
	id, _ := srv.AddRecurring(ada, Recurring{Summary: "1:1", Start: monday, RRule: "FREQ=DAILY;COUNT=3",
		Attendees: []string{grace}})
	srv.SetOrganizer(ada, "boss@example.com")
	_, err := svc.Events.Patch(ada, id, &calendar.Event{Description: "x"}).Do()
	wantErr(t, err, 403)
	if ev := srv.Event(ada, id); ev.Organizer.Email != "boss@example.com" || ev.Organizer.Self {
		t.Errorf("organizer %+v", ev.Organizer)
	}
}

func TestUpdateReplacesAndRequiresStartEnd(t *testing.T) {
	srv, svc, _ := setup(t)
	id, _ := srv.AddRecurring(ada, Recurring{Summary: "sync", Description: "old", Start: monday})
	_, err := svc.Events.Update(ada, id, &calendar.Event{Summary: "no times"}).Do()
	wantErr(t, err, 400)
	ev := srv.Event(ada, id)
	ev.Description = ""
	ev.Summary = "renamed"
	got, err := svc.Events.Update(ada, id, &ev).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Summary != "renamed" || got.Description != "" || got.Id != id {
		t.Errorf("update result %+v", got)
	}
	moved := ev
	moved.Start = &calendar.EventDateTime{DateTime: "2026-03-02T12:00:00Z"}
	moved.End = &calendar.EventDateTime{DateTime: "2026-03-02T12:30:00Z"}
	got, err = svc.Events.Update(ada, id, &moved).Do()
	if err != nil || got.Sequence != ev.Sequence+1 {
		t.Errorf("moving bumps the sequence: %v %d", err, got.Sequence)
	}
}

func TestInsertGetDelete(t *testing.T) {
	_, svc, _ := setup(t)
	in := &calendar.Event{Id: "abcdef0123", Summary: "x",
		Start: &calendar.EventDateTime{DateTime: "2026-03-02T09:00:00+01:00"},
		End:   &calendar.EventDateTime{DateTime: "2026-03-02T09:30:00+01:00"}}
	got, err := svc.Events.Insert(ada, in).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.ICalUID != "abcdef0123@google.com" || !got.Organizer.Self || got.Status != "confirmed" {
		t.Errorf("inserted %+v", got)
	}
	_, err = svc.Events.Insert(ada, in).Do()
	wantErr(t, err, 409)
	_, err = svc.Events.Insert(ada, &calendar.Event{Id: "UPPER_case", Start: in.Start, End: in.End}).Do()
	wantErr(t, err, 400)
	if err := svc.Events.Delete(ada, got.Id).SendUpdates("none").Do(); err != nil {
		t.Fatal(err)
	}
	wantErr(t, svc.Events.Delete(ada, got.Id).Do(), 410)
	if ev, err := svc.Events.Get(ada, got.Id).Do(); err != nil || ev.Status != "cancelled" || ev.Summary != "x" {
		t.Errorf("get of a deleted event: %v %+v", err, ev)
	}
	_, err = svc.Events.Get(ada, "nosuchevent").Do()
	wantErr(t, err, 404)
	_, err = svc.Events.Get(grace, got.Id).Do()
	wantErr(t, err, 404) // ada cannot see grace's calendar
}
