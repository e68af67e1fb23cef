package googletest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
	"google.golang.org/api/calendar/v3"
)

const (
	instanceStamp = "20060102T150405Z" // <masterId>_<stamp> for timed instances
	dateStamp     = "20060102"         // <masterId>_<stamp> for all-day instances
	maxInstances  = 5000               // expansion cap per recurring event and request
)

// parseEDT reads an EventDateTime. Dates (all-day) come back as midnight UTC.
// A dateTime without an offset is read in its timeZone, as documented.
func parseEDT(dt *calendar.EventDateTime) (time.Time, bool, error) {
	if dt == nil {
		return time.Time{}, false, errors.New("missing date or dateTime")
	}
	if dt.Date != "" {
		t, err := time.Parse("2006-01-02", dt.Date)
		return t, true, err
	}
	loc := time.UTC
	if dt.TimeZone != "" {
		l, err := time.LoadLocation(dt.TimeZone)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("invalid time zone %q", dt.TimeZone)
		}
		loc = l
	}
	t, err := time.Parse(time.RFC3339, dt.DateTime)
	if err != nil && dt.TimeZone != "" {
		t, err = time.ParseInLocation("2006-01-02T15:04:05", dt.DateTime, loc)
	}
	return t.In(loc), false, err
}

// formatEDT writes an instant as Google does: dateTime with the offset of
// tz, plus the timeZone name; or a date for all-day events.
func formatEDT(t time.Time, allDay bool, tz string) *calendar.EventDateTime {
	if allDay {
		return &calendar.EventDateTime{Date: t.Format("2006-01-02")}
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		loc = time.UTC
	}
	return &calendar.EventDateTime{DateTime: t.In(loc).Format(time.RFC3339), TimeZone: tz}
}

func instanceID(masterID string, orig time.Time, allDay bool) string {
	if allDay {
		return masterID + "_" + orig.Format(dateStamp)
	}
	return masterID + "_" + orig.UTC().Format(instanceStamp)
}

// parseInstanceID splits "<masterId>_<yyyymmddThhmmssZ>" (or _<yyyymmdd>).
func parseInstanceID(id string) (master string, orig time.Time, ok bool) {
	i := strings.LastIndexByte(id, '_')
	if i <= 0 {
		return "", time.Time{}, false
	}
	stamp := id[i+1:]
	layout := instanceStamp
	if len(stamp) == len(dateStamp) {
		layout = dateStamp
	}
	t, err := time.Parse(layout, stamp)
	return id[:i], t, err == nil
}

// ruleSet builds the recurrence of a master from its start and its
// recurrence lines (RRULE, EXDATE, RDATE). Times are expanded in the start's
// time zone, so wall-clock times survive DST changes.
func ruleSet(master *calendar.Event) (*rrule.Set, error) {
	start, allDay, err := parseEDT(master.Start)
	if err != nil {
		return nil, err
	}
	lines := []string{"DTSTART:" + start.Format(dateStamp)}
	if !allDay {
		lines[0] = fmt.Sprintf("DTSTART;TZID=%s:%s", start.Location(), start.Format("20060102T150405"))
	}
	for _, l := range master.Recurrence {
		if strings.HasPrefix(strings.ToUpper(l), "EXRULE") {
			return nil, errors.New("EXRULE is not supported")
		}
		lines = append(lines, l)
	}
	set, err := rrule.StrSliceToRRuleSetInLoc(lines, start.Location())
	if err != nil {
		return nil, err
	}
	if set.GetRRule() == nil && len(set.GetRDate()) == 0 {
		return nil, errors.New("no RRULE or RDATE")
	}
	return set, nil
}

// duration is the length of every instance: the master's end minus start.
func duration(ev *calendar.Event) time.Duration {
	start, _, err1 := parseEDT(ev.Start)
	end, _, err2 := parseEDT(ev.End)
	if err1 != nil || err2 != nil {
		return 0
	}
	return end.Sub(start)
}

// expand returns the original start times of the master's instances that
// fall into w, up to the horizon (the end of rules without one), at most
// limit of them.
func expand(master *calendar.Event, w window, horizon time.Time, limit int) []time.Time {
	set, err := ruleSet(master)
	if err != nil {
		return nil
	}
	dur := duration(master)
	next := set.Iterator()
	var out []time.Time
	for steps := 0; len(out) < limit && steps < 20*maxInstances; steps++ {
		t, ok := next()
		if !ok || (!horizon.IsZero() && !t.Before(horizon)) {
			break
		}
		if w.contains(t, t.Add(dur)) {
			out = append(out, t)
		}
	}
	return out
}

// isOccurrence reports whether orig is one of the master's instances.
func isOccurrence(master *calendar.Event, orig time.Time) bool {
	set, err := ruleSet(master)
	if err != nil {
		return false
	}
	return set.After(orig.Add(-time.Second), true).Equal(orig)
}

// virtualInstance is the instance of master at orig as Google returns it
// while the instance has no exception of its own.
func virtualInstance(master *calendar.Event, orig time.Time) *calendar.Event {
	_, allDay, _ := parseEDT(master.Start)
	tz := master.Start.TimeZone
	inst := cloneEvent(master)
	inst.Id = instanceID(master.Id, orig, allDay)
	inst.RecurringEventId = master.Id
	inst.Recurrence = nil
	inst.OriginalStartTime = formatEDT(orig, allDay, tz)
	inst.Start = formatEDT(orig, allDay, tz)
	inst.End = formatEDT(orig.Add(duration(master)), allDay, master.End.TimeZone)
	return inst
}
