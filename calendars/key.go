package calendars

import (
	"fmt"
	"time"
)

// dateLayout is how all-day keys and times are written.
const dateLayout = "2006-01-02"

// FormatKey writes an occurrence key as every contract shows it (inspect,
// history, the database, prep): the original start in UTC, RFC 3339, or
// the date for all-day series.
func FormatKey(key time.Time, allDay bool) string {
	if allDay {
		return key.Format(dateLayout)
	}
	return key.UTC().Format(time.RFC3339)
}

// ParseKey reads what FormatKey wrote and says whether it was a date.
func ParseKey(s string) (key time.Time, allDay bool, err error) {
	if len(s) == len(dateLayout) {
		key, err = time.Parse(dateLayout, s)
		allDay = true
	} else {
		key, err = time.Parse(time.RFC3339, s)
	}
	if err != nil {
		return key, allDay, fmt.Errorf("occurrence key %q is neither RFC 3339 nor a date", s)
	}
	return key.UTC(), allDay, nil
}

// FormatTime writes a start or end: RFC 3339 with the event's own
// offset, or the date for all-day series.
func FormatTime(t time.Time, allDay bool) string {
	if allDay {
		return t.Format(dateLayout)
	}
	return t.Format(time.RFC3339)
}
