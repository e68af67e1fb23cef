package sync_test

import (
	"context"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

func TestMeetingsForPrep(t *testing.T) {
	w := newWorld(t)
	moved := "RECURRENCE-ID;TZID=Europe/Berlin:20261201T100000\r\nDTSTART;TZID=Europe/Berlin:20261202T150000\r\nDTEND;TZID=Europe/Berlin:20261202T153000\r\n"
	w.put("a.ics", event{uid: "a", extra: "EXDATE;TZID=Europe/Berlin:20261208T100000\r\n", overrides: []string{moved}}.ics())
	w.sync()
	m := sync.Meetings{DB: w.db}
	ctx := context.Background()
	up, err := m.Upcoming(ctx, w.now, w.now.Add(14*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range up {
		got = append(got, x.RecurrenceID+" "+x.Start.Format(time.RFC3339)+" "+x.State)
	}
	want(t, got, "2026-11-24T09:00:00Z 2026-11-24T10:00:00+01:00 scheduled", "2026-12-01T09:00:00Z 2026-12-02T15:00:00+01:00 moved")
	if up[0].People[0].Email != "ada@example.com" || up[0].People[1].Email != "grace@example.com" || up[0].TimeZone != "Europe/Berlin" || up[0].Calendar != "ada" {
		t.Errorf("meeting: %+v", up[0])
	}
	if up[0].Number != 4 || up[1].Number != 5 { // 3, 10, 17 Nov were held before
		t.Errorf("numbers %d, %d; want 4, 5", up[0].Number, up[1].Number)
	}
	one, err := m.Meeting(ctx, "a", "2026-12-01T09:00:00Z")
	if err != nil || !one.Start.Equal(up[1].Start) {
		t.Errorf("Meeting: %+v, %v", one, err)
	}
	if _, err := m.Meeting(ctx, "nope", "x"); err != prep.ErrNoMeeting {
		t.Errorf("unknown meeting: %v", err)
	}
	prev, err := m.Previous(ctx, up[1])
	if err != nil || prev == nil || prev.RecurrenceID != "2026-11-24T09:00:00Z" {
		t.Errorf("Previous: %+v, %v", prev, err)
	}
}
