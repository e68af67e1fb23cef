package calendars_test

import (
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

func TestKeysRoundTrip(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := time.Date(2026, 3, 29, 10, 0, 0, 0, berlin)
	for _, c := range []struct {
		t      time.Time
		allDay bool
		want   string
	}{{at, false, "2026-03-29T08:00:00Z"}, {time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), true, "2026-03-29"}} {
		s := calendars.FormatKey(c.t, c.allDay)
		k, allDay, err := calendars.ParseKey(s)
		if s != c.want || err != nil || allDay != c.allDay || !k.Equal(c.t) {
			t.Errorf("FormatKey = %q, ParseKey = (%s, %v, %v); want %q round-tripping", s, k, allDay, err, c.want)
		}
	}
	if got := calendars.FormatTime(at, false); got != "2026-03-29T10:00:00+02:00" {
		t.Errorf("FormatTime = %q, want the event's own offset", got)
	}
	if _, _, err := calendars.ParseKey("last tuesday"); err == nil {
		t.Error("a garbage key was read")
	}
}
