package microsoft365

import (
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars/tz"
)

const (
	localLayout = "20060102T150405"
	utcLayout   = "20060102T150405Z"
	dateLayout  = "20060102"
	// graphLayout is a dateTimeTimeZone's dateTime: no offset, up to
	// seven fractional digits.
	graphLayout = "2006-01-02T15:04:05.9999999"
)

// instant reads a dateTimeTimeZone. Its zone is UTC when reads ask for
// it; any other zone Graph may name (IANA or Windows) is resolved.
func instant(dt *dateTimeZone) (time.Time, error) {
	if dt == nil || dt.DateTime == "" {
		return time.Time{}, fmt.Errorf("no dateTime")
	}
	loc := time.UTC
	if z := dt.TimeZone; z != "" && !strings.EqualFold(z, "UTC") {
		l, _, err := tz.Resolve(z, nil)
		if err != nil {
			return time.Time{}, fmt.Errorf("time zone %q: %w", z, err)
		}
		loc = l
	}
	t, err := time.ParseInLocation(graphLayout, dt.DateTime, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("dateTime %q: %w", dt.DateTime, err)
	}
	return t, nil
}

// offsetTime reads an Edm.DateTimeOffset such as originalStart.
func offsetTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	return t, nil
}

// zoneOf is the zone a series was scheduled in (originalStartTimeZone,
// else the recurrence's), with its IANA name; nil when none resolves,
// and the series is then written in UTC.
func zoneOf(ev *event) (*time.Location, string) {
	names := []string{ev.OriginalStartTimeZone}
	if ev.Recurrence != nil {
		names = append(names, ev.Recurrence.Range.RecurrenceTimeZone)
	}
	for _, n := range names {
		if n == "" || strings.EqualFold(n, "UTC") {
			continue
		}
		if loc, iana, err := tz.Resolve(n, nil); err == nil && iana != "" {
			return loc, iana
		}
	}
	return nil, ""
}

// timeProp renders DTSTART/DTEND/RECURRENCE-ID: a DATE for all-day
// events, local time with the zone's IANA TZID, else UTC.
func timeProp(name string, t time.Time, allDay bool, loc *time.Location, iana string) string {
	switch {
	case allDay:
		return name + ";VALUE=DATE:" + t.Format(dateLayout)
	case loc != nil:
		return name + ";TZID=" + iana + ":" + t.In(loc).Format(localLayout)
	}
	return name + ":" + t.UTC().Format(utcLayout)
}
