package sync_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/oneonone/oneonone/sync"
)

// The pair page's timeline: held, moved and cancelled occurrences with
// the notice their change gave, oldest first.
func TestPairOccurrences(t *testing.T) {
	w := newWorld(t)
	moved := "RECURRENCE-ID;TZID=Europe/Berlin:20261201T100000\r\nDTSTART;TZID=Europe/Berlin:20261202T150000\r\nDTEND;TZID=Europe/Berlin:20261202T153000\r\n"
	w.put("a.ics", event{uid: "a"}.ics())
	w.sync()
	w.put("a.ics", event{uid: "a", extra: "EXDATE;TZID=Europe/Berlin:20261208T100000\r\n", overrides: []string{moved}}.ics())
	w.sync()
	m := sync.Meetings{DB: w.db}
	got, err := m.PairOccurrences(context.Background(), "ada@example.com", "grace@example.com", w.now.Add(16*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, o := range got {
		notice := "-"
		if o.NoticeHours != nil {
			notice = fmt.Sprintf("%.0fh", *o.NoticeHours)
		}
		lines = append(lines, fmt.Sprintf("%s %s moved=%v notice=%s", o.RecurrenceID, o.Status, o.Moved, notice))
	}
	want(t, lines,
		"2026-11-03T09:00:00Z held moved=false notice=-",
		"2026-11-10T09:00:00Z held moved=false notice=-",
		"2026-11-17T09:00:00Z held moved=false notice=-",
		"2026-11-24T09:00:00Z scheduled moved=false notice=-",
		"2026-12-01T09:00:00Z moved moved=true notice=193h",
		"2026-12-08T09:00:00Z cancelled moved=false notice=361h")
	if none, err := m.PairOccurrences(context.Background(), "ada@example.com", "nobody@example.com", w.now); err != nil || len(none) != 0 {
		t.Errorf("an unknown pair: %d occurrences, %v", len(none), err)
	}
}
