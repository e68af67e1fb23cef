package demo

import (
	"os"
	"strings"
	"time"
)

// zone is where the demo meeting happens: the user's own zone when $TZ
// names one, else UTC.
func zone() *time.Location {
	if tz := os.Getenv("TZ"); tz != "" {
		if loc, err := time.LoadLocation(strings.TrimPrefix(tz, ":")); err == nil {
			return loc
		}
	}
	if time.Local.String() != "Local" {
		return time.Local
	}
	return time.UTC
}

// firstStart is the next quarter hour at least 20 minutes away: within
// the hour, so that the prep mails go out at once.
func firstStart(now time.Time) time.Time {
	t := now.In(zone()).Add(20 * time.Minute)
	return t.Truncate(15 * time.Minute).Add(15 * time.Minute)
}

// seriesICS is the weekly 1:1 of Ada and Grace from start, stamped now.
func seriesICS(start, now time.Time) string {
	name := start.Location().String()
	at := func(t time.Time) string {
		if name == "UTC" {
			return ":" + t.UTC().Format("20060102T150405Z")
		}
		return ";TZID=" + name + ":" + t.Format("20060102T150405")
	}
	lines := []string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//oneonone//demo//EN", "BEGIN:VEVENT",
		"UID:demo-weekly-1on1@oneonone", "DTSTAMP:" + now.UTC().Format("20060102T150405Z"),
		"DTSTART" + at(start), "DTEND" + at(start.Add(30*time.Minute)), "RRULE:FREQ=WEEKLY",
		"SUMMARY:Ada / Grace weekly 1:1",
		"DESCRIPTION:Our weekly 1:1. Shared notes: https://docs.example.com/ada-grace",
		"ORGANIZER;CN=Ada Lovelace:mailto:ada@example.com",
		"ATTENDEE;CN=Ada Lovelace;PARTSTAT=ACCEPTED:mailto:ada@example.com",
		"ATTENDEE;CN=Grace Hopper;PARTSTAT=ACCEPTED:mailto:grace@example.com",
		"END:VEVENT", "END:VCALENDAR",
	}
	return strings.Join(lines, "\r\n") + "\r\n"
}
