package sync_test

import (
	"testing"
	"time"

	"github.com/oneonone/oneonone/sync"
)

func TestInitialAndIdleSync(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	w.put("team.ics", event{uid: "team", attendees: []string{"ada@example.com", "grace@example.com", "linus@example.com"}}.ics())
	s := w.sync()
	if s.Changes != 2 {
		t.Errorf("first sync saw %d changes, want 2", s.Changes)
	}
	h, last := w.history(0)
	want(t, h, "created")
	var n int
	w.db.QueryRow(`SELECT count(*) FROM occurrences`).Scan(&n)
	if n != 12 { // 2026-11-03 (DTSTART) … 2027-01-19 inside [now-30d, now+60d)
		t.Errorf("%d occurrences stored, want 12", n)
	}
	idle := w.sync()
	if idle.Requests != 1 || idle.Changes != 0 || idle.Events != 0 {
		t.Errorf("idle sync: %d requests, %d changes, %d events; want 1, 0, 0", idle.Requests, idle.Changes, idle.Events)
	}
	if h, _ := w.history(last); len(h) != 0 {
		t.Errorf("idle sync recorded %v", h)
	}
}

func TestMovedAndMovedBack(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	_, last := w.history(0)
	moved := "RECURRENCE-ID;TZID=Europe/Berlin:20261201T100000\r\nDTSTART;TZID=Europe/Berlin:20261202T150000\r\nDTEND;TZID=Europe/Berlin:20261202T153000\r\n"
	w.put("a.ics", event{uid: "a", overrides: []string{moved}}.ics())
	w.sync()
	h, last := w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→2026-12-02T15:00:00+01:00")
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	h, _ = w.history(last)
	want(t, h, "moved 2026-12-01T09:00:00Z 2026-12-02T15:00:00+01:00→2026-12-01T10:00:00+01:00")
	var notice float64
	w.db.QueryRow(`SELECT notice_hours FROM history WHERE kind = 'moved' ORDER BY id LIMIT 1`).Scan(&notice)
	if notice != 193 { // from Mon 23 Nov 08:00Z to Tue 1 Dec 09:00Z
		t.Errorf("notice %v hours, want 193", notice)
	}
}

func TestCancelledByExdateAndByOverrideThenRestored(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	_, last := w.history(0)
	cancelled := "RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000\r\nDTSTART;TZID=Europe/Berlin:20261208T100000\r\nSTATUS:CANCELLED\r\n"
	w.put("a.ics", event{uid: "a", extra: "EXDATE;TZID=Europe/Berlin:20261201T100000\r\n", overrides: []string{cancelled}}.ics())
	w.sync()
	h, last := w.history(last)
	want(t, h, "cancelled 2026-12-08T09:00:00Z 2026-12-08T10:00:00+01:00→", "cancelled 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→")
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	h, _ = w.history(last)
	if len(h) != 2 || h[0][:8] != "restored" || h[1][:8] != "restored" {
		t.Errorf("after undoing both cancellations: %q, want two restored", h)
	}
}

func TestDeclineAndThreePeopleAndBack(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	_, last := w.history(0)
	declined := "RECURRENCE-ID;TZID=Europe/Berlin:20261215T100000\r\nDTSTART;TZID=Europe/Berlin:20261215T100000\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com\r\nATTENDEE;PARTSTAT=DECLINED:mailto:grace@example.com\r\n"
	w.put("a.ics", event{uid: "a", overrides: []string{declined}}.ics())
	w.sync()
	h, last := w.history(last)
	want(t, h, "declined 2026-12-15T09:00:00Z 2026-12-15T10:00:00+01:00→")
	w.put("a.ics", event{uid: "a", attendees: []string{"ada@example.com", "grace@example.com", "linus@example.com"}}.ics())
	w.sync()
	h, last = w.history(last)
	want(t, h, "participant_changed")
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	h, _ = w.history(last)
	if len(h) == 0 || h[0] != "participant_changed" {
		t.Errorf("back to a 1:1: %q, want participant_changed first", h)
	}
}

func TestDeletedSeriesAndHeld(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	_, last := w.history(0)
	w.now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) // after Tue 24 Nov 10:00–10:30 Berlin
	w.srv.Delete(t, "test", w.col+"a.ics")
	w.sync()
	h, _ := w.history(last)
	if len(h) < 3 || h[0] != "series_ended" {
		t.Fatalf("after deleting the series: %q", h)
	}
	var cancelled, held int
	w.db.QueryRow(`SELECT count(*) FROM history WHERE kind = 'cancelled'`).Scan(&cancelled)
	w.db.QueryRow(`SELECT count(*) FROM history WHERE kind = 'held' AND recurrence_id = '2026-11-24T09:00:00Z'`).Scan(&held)
	if cancelled != 8 || held != 1 {
		t.Errorf("%d cancelled (want the 8 future ones), %d held for 24 Nov (want 1)", cancelled, held)
	}
}

func TestThisAndFollowingSplitContinuesThePair(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	_, last := w.history(0)
	w.put("a.ics", event{uid: "a", rrule: "FREQ=WEEKLY;UNTIL=20261207T230000Z"}.ics())
	w.put("b.ics", event{uid: "b", start: "20261209T100000"}.ics())
	w.sync()
	h, _ := w.history(last)
	want(t, h, "created")
	var detail string
	w.db.QueryRow(`SELECT detail FROM history WHERE kind = 'created' ORDER BY id DESC LIMIT 1`).Scan(&detail)
	if detail == "" || detail[:9] != "continues" {
		t.Errorf("the new series' created event says %q, want it to continue series a", detail)
	}
}

func TestWrongPasswordMarksOnlyThatCalendar(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics())
	bad := w.calendar("bad", "test", "wrong")
	sums := w.engine.SyncAll(t.Context(), []sync.Calendar{bad, w.cal})
	if sums[0].Err == nil || sums[1].Err != nil {
		t.Fatalf("want the bad calendar to fail and the good one to sync: %+v", sums)
	}
	var healthy bool
	var lastErr string
	w.db.QueryRow(`SELECT healthy, last_error FROM calendars WHERE name = 'bad'`).Scan(&healthy, &lastErr)
	if healthy || lastErr == "" {
		t.Errorf("bad calendar healthy=%v last_error=%q", healthy, lastErr)
	}
	if h, _ := w.history(0); len(h) != 1 {
		t.Errorf("the good calendar's series was not tracked: %q", h)
	}
}
