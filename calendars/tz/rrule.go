package tz

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// weekdayNum is one BYDAY entry: "-1SU" is {n: -1, wd: Sunday}, "SU" has n 0.
type weekdayNum struct {
	n  int
	wd time.Weekday
}

// rule is the part of RFC 5545 RRULE that time zone definitions use. BYHOUR,
// BYMINUTE, WKST, BYSETPOS and the like are ignored: onsets take their clock
// time from DTSTART, and no real VTIMEZONE relies on the others.
type rule struct {
	freq       string
	interval   int
	count      int
	until      time.Time // UNTIL's digits as a wall clock in time.UTC
	hasUntil   bool
	byMonth    []int
	byMonthDay []int
	byDay      []weekdayNum
}

var weekdays = map[string]time.Weekday{
	"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
	"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday,
}

func parseRule(s string) (rule, error) {
	r := rule{interval: 1}
	for _, part := range strings.Split(strings.TrimSpace(s), ";") {
		key, val, _ := strings.Cut(part, "=")
		if err := r.set(strings.ToUpper(strings.TrimSpace(key)), strings.ToUpper(strings.TrimSpace(val))); err != nil {
			return rule{}, fmt.Errorf("%s: %w", key, err)
		}
	}
	switch r.freq {
	case "YEARLY", "MONTHLY", "WEEKLY", "DAILY":
		return r, nil
	case "":
		return rule{}, fmt.Errorf("no FREQ")
	}
	return rule{}, fmt.Errorf("FREQ=%s is not supported", r.freq)
}

func (r *rule) set(key, val string) error {
	var err error
	switch key {
	case "FREQ":
		r.freq = val
	case "INTERVAL":
		// INTERVAL=0 is invalid but harmless to read as 1.
		if r.interval, err = strconv.Atoi(val); err == nil && r.interval < 1 {
			r.interval = 1
		}
	case "COUNT":
		if r.count, err = strconv.Atoi(val); err == nil && r.count < 1 {
			err = fmt.Errorf("must be positive")
		}
	case "UNTIL":
		r.until, err = parseUntil(val)
		r.hasUntil = err == nil
	case "BYMONTH":
		r.byMonth, err = parseInts(val, 1, 12)
	case "BYMONTHDAY":
		r.byMonthDay, err = parseInts(val, -31, 31)
	case "BYDAY":
		r.byDay, err = parseByDay(val)
	}
	return err
}

// parseUntil reads a DATE or DATE-TIME. A DATE means the whole day; a "Z"
// is dropped because onsets are compared under both readings (see past).
func parseUntil(v string) (time.Time, error) {
	v = strings.TrimSuffix(v, "Z")
	if len(v) == 8 {
		t, err := time.Parse("20060102", v)
		return t.Add(24*time.Hour - time.Second), err
	}
	return time.Parse("20060102T150405", v)
}

func parseInts(v string, lo, hi int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimPrefix(f, "+"))
		if err != nil || n < lo || n > hi || n == 0 {
			return nil, fmt.Errorf("bad value %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseByDay(v string) ([]weekdayNum, error) {
	var out []weekdayNum
	for _, f := range strings.Split(v, ",") {
		if len(f) < 2 {
			return nil, fmt.Errorf("bad value %q", f)
		}
		wd, ok := weekdays[f[len(f)-2:]]
		n := 0
		var err error
		if num := strings.TrimPrefix(f[:len(f)-2], "+"); num != "" {
			n, err = strconv.Atoi(num)
		}
		if !ok || err != nil || n < -5 || n > 5 {
			return nil, fmt.Errorf("bad value %q", f)
		}
		out = append(out, weekdayNum{n: n, wd: wd})
	}
	return out, nil
}

// past reports whether onset lies after UNTIL. Writers disagree on whether
// UNTIL is UTC or local time (RFC 5545 wants UTC; many write the local wall
// clock, with or without "Z"), so an onset counts while either reading still
// includes it: they differ by hours, while onsets are months apart.
func (r rule) past(wall time.Time, offsetFrom int) bool {
	if !r.hasUntil {
		return false
	}
	utc := wall.Add(-time.Duration(offsetFrom) * time.Second)
	return wall.After(r.until) && utc.After(r.until)
}

// openEnded reports whether the rule runs forever, so the definition
// describes the present and not just the years it lists.
func (r rule) openEnded() bool { return r.count == 0 && !r.hasUntil }
