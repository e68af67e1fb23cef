package microsoft365

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var weekdays = map[string]string{"sunday": "SU", "monday": "MO", "tuesday": "TU", "wednesday": "WE",
	"thursday": "TH", "friday": "FR", "saturday": "SA"}

var setPos = map[string]string{"first": "1", "second": "2", "third": "3", "fourth": "4", "last": "-1"}

// rrule turns a patternedRecurrence into an RRULE line. loc is the zone
// the series is expanded in (nil: UTC), for the end date's UNTIL.
func rrule(r *recurrence, allDay bool, loc *time.Location) (string, error) {
	p := r.Pattern
	parts := []string{}
	days, err := byDay(p.DaysOfWeek)
	if err != nil {
		return "", err
	}
	switch p.Type {
	case "daily":
		parts = append(parts, "FREQ=DAILY")
	case "weekly":
		parts = append(parts, "FREQ=WEEKLY", "BYDAY="+days)
		if wk := weekdays[strings.ToLower(p.FirstDayOfWeek)]; wk != "" {
			parts = append(parts, "WKST="+wk)
		}
	case "absoluteMonthly":
		parts = append(parts, "FREQ=MONTHLY", "BYMONTHDAY="+strconv.Itoa(p.DayOfMonth))
	case "relativeMonthly":
		parts = append(parts, "FREQ=MONTHLY", "BYDAY="+days, "BYSETPOS="+index(p.Index))
	case "absoluteYearly":
		parts = append(parts, "FREQ=YEARLY", "BYMONTH="+strconv.Itoa(p.Month), "BYMONTHDAY="+strconv.Itoa(p.DayOfMonth))
	case "relativeYearly":
		parts = append(parts, "FREQ=YEARLY", "BYMONTH="+strconv.Itoa(p.Month), "BYDAY="+days, "BYSETPOS="+index(p.Index))
	default:
		return "", fmt.Errorf("recurrence pattern %q", p.Type)
	}
	if err := complete(p, days); err != nil {
		return "", err
	}
	if p.Interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(p.Interval))
	}
	end, err := rangeEnd(r.Range, allDay, loc)
	if err != nil {
		return "", err
	}
	if end != "" {
		parts = append(parts, end)
	}
	return "RRULE:" + strings.Join(parts, ";"), nil
}

// complete reports a pattern that lacks what its type needs.
func complete(p recurrencePattern, days string) error {
	switch {
	case (p.Type == "weekly" || strings.HasPrefix(p.Type, "relative")) && days == "":
		return fmt.Errorf("recurrence pattern %q without daysOfWeek", p.Type)
	case strings.HasPrefix(p.Type, "absolute") && (p.DayOfMonth < 1 || p.DayOfMonth > 31):
		return fmt.Errorf("recurrence pattern %q with dayOfMonth %d", p.Type, p.DayOfMonth)
	case strings.HasSuffix(p.Type, "Yearly") && (p.Month < 1 || p.Month > 12):
		return fmt.Errorf("recurrence pattern %q with month %d", p.Type, p.Month)
	}
	return nil
}

func byDay(days []string) (string, error) {
	out := make([]string, 0, len(days))
	for _, d := range days {
		wd, ok := weekdays[strings.ToLower(d)]
		if !ok {
			return "", fmt.Errorf("day of week %q", d)
		}
		out = append(out, wd)
	}
	return strings.Join(out, ","), nil
}

func index(i string) string {
	if n, ok := setPos[strings.ToLower(i)]; ok {
		return n
	}
	return "1" // Graph's default index is first
}

// rangeEnd is the COUNT or UNTIL of a recurrenceRange; "" for noEnd. An
// end date includes its whole day in the series' zone.
func rangeEnd(r recurrenceRange, allDay bool, loc *time.Location) (string, error) {
	switch r.Type {
	case "numbered":
		if r.NumberOfOccurrences <= 0 {
			return "", fmt.Errorf("numbered recurrence of %d occurrences", r.NumberOfOccurrences)
		}
		return "COUNT=" + strconv.Itoa(r.NumberOfOccurrences), nil
	case "endDate":
		d, err := time.Parse("2006-01-02", r.EndDate)
		if err != nil {
			return "", fmt.Errorf("recurrence end date %q: %w", r.EndDate, err)
		}
		if allDay {
			return "UNTIL=" + d.Format(dateLayout), nil
		}
		if loc == nil {
			loc = time.UTC
		}
		last := time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc)
		return "UNTIL=" + last.UTC().Format(utcLayout), nil
	}
	return "", nil
}
