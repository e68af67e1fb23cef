package calendars_test

import (
	"fmt"
	"time"
)

// Sections C, D and E of EXPECTED.md: ical.js, ical-expander, node-ical
// and allenporter/ical.
var moreExpectations = []expectation{
	{"C1", "mifi__ical-expander/icaljs-issue-285.ics", func(c *cal) error {
		return first(same(instants(c.between(utc("2017-01-03"), utc("2017-01-25"))), []string{"2017-01-03T08:00Z", "2017-01-10T08:00Z", "2017-01-18T08:00Z", "2017-01-24T08:00Z"}),
			count(c.between(utc("2017-01-18"), utc("2017-01-19")), 1))
	}},
	{"C2", "mifi__ical-expander/icaljs-issue-257.ics", func(c *cal) error {
		a := c.between(utc("2016-07-24"), utc("2016-07-26"))
		b := c.between(utc("2016-07-31"), utc("2016-08-02"))
		return first(count(a, 1), count(b, 1), count(c.between(utc("2016-08-07"), utc("2016-08-10")), 0),
			titled(a, "Test-Event"), titled(b, "Test-Event - Reccurence #2"))
	}},
	{"C3", "kewisch__ical.js/recur_instances.ics", func(c *cal) error {
		k := keys(c.between(utc("2012-09-01"), utc("2013-01-02")))
		return same(k, []string{"2012-10-02T17:00Z", "2012-11-05T18:00Z", "2012-11-06T18:00Z", "2012-11-10T18:00Z", "2012-11-30T18:00Z", "2013-01-01T18:00Z"})
	}},
	{"C4", "kewisch__ical.js/recur_instances_finite.ics", func(c *cal) error {
		return same(keys(c.all()), []string{"2012-10-02T17:00Z", "2012-11-05T18:00Z", "2012-11-06T18:00Z", "2012-11-10T18:00Z", "2012-12-04T18:00Z"})
	}},
	{"C5", "kewisch__ical.js/google_birthday.ics", func(c *cal) error {
		for _, s := range c.series {
			if len(s.Rules) == 0 {
				continue
			}
			var got []string
			for _, o := range s.Expand(utc("2000-01-01"), utc("2100-01-01")) {
				got = append(got, o.Key.Format("2006-01-02"))
			}
			return same(got, []string{"2012-12-10", "2013-12-10", "2014-12-10"})
		}
		return fmt.Errorf("no series with a rule")
	}},
	{"C6", "kewisch__ical.js/rdate_exdate.ics", func(c *cal) error {
		return same(instants(c.all()), []string{"2024-06-09T03:00Z", "2024-06-10T03:00Z", "2024-06-12T03:00Z"})
	}},
	{"D2", "jens-maus__node-ical/bad_ms_tz.ics", func(c *cal) error {
		o := c.all()
		if len(o) == 0 {
			return fmt.Errorf("no occurrences")
		}
		return first(same(instants(o[:1]), []string{"2020-08-25T14:35Z"}), same([]string{o[0].End.UTC().Format("15:04")}, []string{"15:50"}))
	}},
	{"D2", "jens-maus__node-ical/ms_timezones.ics", func(c *cal) error {
		for _, o := range c.all() {
			if o.Summary == "Log Yesterday's Jira time" && o.Start.UTC().Month() == time.June && o.Start.Year() == 2020 {
				if o.Start.UTC().Hour() != 7 || o.End.UTC().Minute() != 30 {
					return fmt.Errorf("start %s end %s: want UTC hour 07 and end minute 30", o.Start.UTC(), o.End.UTC())
				}
				return nil
			}
		}
		return fmt.Errorf("no June 2020 occurrence of \"Log Yesterday's Jira time\"")
	}},
	{"D2", "jens-maus__node-ical/vtimezone-year-0001-dtstart.ics", func(c *cal) error {
		o := c.all()
		if len(o) == 0 {
			return fmt.Errorf("no occurrences")
		}
		return same(instants(o[:1]), []string{"2024-06-01T08:00Z"})
	}},
	{"D2", "jens-maus__node-ical/whole_day_moved_over_dst_change_berlin.ics", func(c *cal) error {
		for _, o := range c.all() {
			if o.Moved && o.AllDay && o.Start.Format("2006-01-02") == "2024-10-30" && o.End.Sub(o.Start) == 24*time.Hour {
				return nil
			}
		}
		return fmt.Errorf("no moved all-day occurrence on 2024-10-30 lasting 1 day: %v", dates(c.all()))
	}},
	{"E", "allenporter__ical/apple_ical.ics", func(c *cal) error {
		o := c.between(utc("2022-01-01"), utc("2023-01-01"))
		if len(o) < 5 {
			return fmt.Errorf("only %d occurrences", len(o))
		}
		o = o[:5]
		var got []string
		for _, x := range o {
			got = append(got, x.Start.Format("2006-01-02T15:04 ")+x.Start.Location().String()+" "+x.Summary)
		}
		return same(got, []string{"2022-09-12T09:00 America/Los_Angeles New Event", "2022-09-13T09:00 America/Los_Angeles Daily",
			"2022-09-14T09:00 America/Los_Angeles Daily", "2022-09-15T09:00 America/Los_Angeles Daily", "2022-09-16T09:00 America/Los_Angeles Daily"})
	}},
	{"E", "allenporter__ical/recurring_with_single_change.ics", func(c *cal) error {
		return localTitles(c, "2026-01-01", "America/New_York", []string{"2026-02-01T10:00 Initial Title", "2026-02-02T10:00 Edited Title", "2026-02-03T10:00 Initial Title"})
	}},
	{"E", "allenporter__ical/recurring_event.ics", func(c *cal) error {
		o := c.between(utc("2025-01-01"), utc("2026-01-01"))
		if len(o) < 5 {
			return fmt.Errorf("only %d occurrences", len(o))
		}
		return first(same(dates(o[:5]), []string{"2025-05-05", "2025-05-06", "2025-05-07", "2025-05-08", "2025-05-09"}),
			titled(o[2:3], "Some Modified Event"))
	}},
	{"E", "allenporter__ical/google_calendar_invalid_offset.ics", func(c *cal) error {
		return localTitles(c, "2003-01-01", "America/Argentina/Buenos_Aires", []string{"2003-02-03T17:00", "2003-02-04T17:00", "2003-02-05T17:00", "2003-02-06T17:00", "2003-02-07T17:00"})
	}},
}

func titled(os []occ, want string) error {
	for _, o := range os {
		if o.Summary != want {
			return fmt.Errorf("%s titled %q, want %q", o.Start.Format(time.RFC3339), o.Summary, want)
		}
	}
	return nil
}

// localTitles compares the first occurrences after from, in zone, as
// "date time title" (or "date time" when want has no titles).
func localTitles(c *cal, from, zone string, want []string) error {
	loc, _ := time.LoadLocation(zone)
	o := c.between(utc(from), utc(from).AddDate(2, 0, 0))
	if len(o) < len(want) {
		return fmt.Errorf("only %d occurrences: %v", len(o), instants(o))
	}
	var got []string
	for _, x := range o[:len(want)] {
		s := x.Start.In(loc).Format("2006-01-02T15:04")
		if len(want[0]) > len("2006-01-02T15:04") {
			s += " " + x.Summary
		}
		got = append(got, s)
	}
	return same(got, want)
}
