package sync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

func TestReportsBecomeHistoryAndStreaks(t *testing.T) {
	w := newWorld(t)
	w.put("a.ics", event{uid: "a"}.ics()) // weekly from 3 Nov; now is 23 Nov
	w.sync()
	o := sync.Outcomes{DB: w.db}
	ctx := context.Background()
	report := func(key, email, outcome string) {
		t.Helper()
		if err := o.Report(ctx, "a", key, email, outcome, w.now); err != nil {
			t.Fatalf("report %s %s %s: %v", key, email, outcome, err)
		}
	}
	const nov10, nov17 = "2026-11-10T09:00:00Z", "2026-11-17T09:00:00Z"
	_, last := w.history(0)
	report(nov17, "Grace@example.com", prep.OutcomeHeld)
	report(nov17, "ada@example.com", prep.OutcomeHeld)
	report(nov10, "ada@example.com", prep.OutcomeNotHeld)
	got, _ := w.history(last)
	want(t, got, "held "+nov17+" 2026-11-17T10:00:00+01:00→", "not_held "+nov10+" 2026-11-10T10:00:00+01:00→")

	// A sync does not turn the meeting said not held back into held.
	w.now = w.now.Add(time.Hour)
	w.sync()
	events, err := sync.History(ctx, w.db, []string{"grace@example.com", "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range events {
		if e.RecurrenceID != nil && (e.Kind == "held" || e.Kind == "not_held") {
			lines = append(lines, e.Kind+" "+*e.RecurrenceID+" "+strings.Join(e.ConfirmedBy, ","))
		}
	}
	want(t, lines, "held "+nov17+" ada@example.com,grace@example.com", "not_held "+nov10+" ada@example.com")
	st := sync.Stats(events)[0]
	if st.Streak != 0 || st.CancelRate8 == nil || *st.CancelRate8 != 0.5 || st.NotHeld != 1 {
		t.Errorf("stats after one held, one not held: streak %d, rate %v, not held %d", st.Streak, st.CancelRate8, st.NotHeld)
	}
	if recs, _ := o.Streaks(ctx, 2); len(recs) != 0 {
		t.Errorf("streaks with none in a row: %+v", recs)
	}

	// The next two are cancelled ahead of time: a streak of two.
	w.put("a.ics", event{uid: "a", extra: "EXDATE;TZID=Europe/Berlin:20261124T100000,20261201T100000\r\n"}.ics())
	w.sync()
	recs, err := o.Streaks(ctx, 2)
	if err != nil || len(recs) != 1 {
		t.Fatalf("streaks: %+v %v", recs, err)
	}
	r := recs[0]
	if r.Streak != 2 || r.StreakStart != "2026-11-24T09:00:00Z" || r.Held != 1 || r.Missed != 3 || r.SeriesUID != "a" ||
		r.People[0].Email != "ada@example.com" || r.TypicalNoticeHours == nil {
		t.Errorf("record: %+v", r)
	}

	// Grace changes her mind about 17 Nov: her confirmation goes.
	report(nov17, "grace@example.com", prep.OutcomeNotHeld)
	events, _ = sync.History(ctx, w.db, nil)
	for _, e := range events {
		if e.Kind == "held" && *e.RecurrenceID == nov17 && strings.Join(e.ConfirmedBy, ",") != "ada@example.com" {
			t.Errorf("held 17 Nov confirmed by %v after Grace said not held", e.ConfirmedBy)
		}
	}
	if err := o.Report(ctx, "a", "2099-01-01T00:00:00Z", "ada@example.com", prep.OutcomeHeld, w.now); err != prep.ErrNoMeeting {
		t.Errorf("report on an unknown occurrence: %v", err)
	}
}
