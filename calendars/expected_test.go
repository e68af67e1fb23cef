package calendars_test

import (
	"fmt"
	"testing"
	"time"
)

const rie = "niccokunzmann__python-recurring-ical-events/"

// expectation is one entry of shared/ics-corpus/EXPECTED.md, checked with
// the meaning its oracle gives it. RIE and the others return cancelled
// overrides too, as Expand does.
type expectation struct {
	section, file string
	check         func(c *cal) error
}

var expectations = []expectation{
	{"A1", rie + "issue_20_exdate_ignored.ics", func(c *cal) error {
		all := c.all()
		if err := same(dates(all), []string{"2019-10-29", "2019-11-12", "2019-12-10", "2020-01-07", "2020-01-14", "2020-01-21", "2020-01-28"}); err != nil {
			return err
		}
		for _, x := range []string{"2019-10-15T14:15:00Z", "2019-10-22T14:15:00Z", "2019-11-05T15:15:00Z", "2019-11-19T15:15:00Z", "2019-11-26T15:15:00Z", "2019-12-03T15:15:00Z", "2019-12-17T15:15:00Z", "2019-12-24T15:15:00Z", "2019-12-31T15:15:00Z"} {
			if got := c.between(utc(x), utc(x).Add(time.Minute)); len(got) != 0 {
				return fmt.Errorf("EXDATE %s still occurs", x)
			}
		}
		return nil
	}},
	{"A1", rie + "rdate_falls_on_rrule_until.ics", func(c *cal) error { return count(c.at("2020-02-04"), 1) }},
	{"A2", rie + "issue_18_cancel_status.ics", func(c *cal) error {
		all := c.all()
		var st []string
		for _, o := range all {
			st = append(st, string(o.Status))
		}
		return same(st, []string{"confirmed", "cancelled", "confirmed"})
	}},
	{"A3", rie + "each_week_but_one_deleted.ics", func(c *cal) error { return count(c.all(), 7) }},
	{"A3", rie + "each_week_but_two_deleted.ics", func(c *cal) error { return count(c.all(), 6) }},
	{"A6", rie + "issue_28_rrule_with_UTC_endinginZ.ics", func(c *cal) error {
		return first(count(c.between(utc("2020-05-25"), utc("2020-09-05")), 15),
			same(dates(c.between(utc("2020-09-03"), utc("2020-09-05"))), []string{"2020-09-04"}))
	}},
	{"A7", rie + "issue_27_t1.ics", func(c *cal) error { return count(c.between(utc("2020-04-25"), utc("2020-04-30")), 2) }},
	{"A7", rie + "issue_27_t2.ics", func(c *cal) error { return count(c.between(utc("2020-04-25"), utc("2020-04-30")), 2) }},
	{"A9", rie + "issue_48_dst.ics", func(c *cal) error {
		return count(c.between(in("America/Chicago", "2020-12-11T10:00"), in("America/Chicago", "2020-12-11T15:00")), 3)
	}},
	{"A10", rie + "issue_107_omitting_last_event.ics", func(c *cal) error {
		return contains(dates(c.between(utc("2023-01-30"), utc("2024-01-30"))), "2023-06-01", "2023-06-08")
	}},
	{"A11", rie + "rdate_hackerpublicradio.ics", func(c *cal) error {
		all := c.all()
		return first(same(dates(all), []string{"2013-08-03", "2013-08-31", "2013-10-05", "2013-11-02", "2013-11-30", "2014-01-04", "2014-02-01", "2014-03-01", "2014-04-05", "2014-05-03", "2014-05-31", "2014-07-05"}),
			count(c.between(utc("2013-08-03T19:00:00Z"), utc("2013-08-03T19:00:01Z")), 1),
			count(c.between(utc("2013-08-03T20:00:00Z"), utc("2013-08-03T20:00:01Z")), 1),
			count(c.between(utc("2013-08-03T21:00:00Z"), utc("2013-08-03T21:00:01Z")), 0))
	}},
	{"A11", rie + "rdate.ics", func(c *cal) error {
		return first(count(c.at("2014-07-05"), 1), count(c.at("2025-07-05"), 0), count(c.at("2015-07-05"), 0))
	}},
	{"A12", rie + "issue_148_ignored_exdate.ics", func(c *cal) error {
		all := c.all()
		if err := count(all, 2); err != nil {
			return err
		}
		for _, o := range all {
			if o.Summary != "test123 - edited" {
				return fmt.Errorf("%s has summary %q", o.Start.Format("2006-01-02"), o.Summary)
			}
		}
		return count(c.at("2024-07-15"), 0)
	}},
	{"A12", rie + "issue_148_exdate_and_rdate_updated.ics", dayCounts(map[string]int{"2024-07-01": 1, "2024-07-15": 1, "2024-07-17": 0, "2024-07-29": 0, "2024-07-30": 1})},
	{"A12", rie + "issue_148_exdate_and_rdate_unedited.ics", dayCounts(map[string]int{"2024-07-01": 1, "2024-07-15": 0, "2024-07-17": 1, "2024-07-29": 1, "2024-07-30": 0})},
	{"A12", rie + "issue_148_edge_case_1.ics", func(c *cal) error { return same(dates(c.all()), []string{"2024-07-01", "2024-07-29"}) }},
	{"A12", rie + "issue_148_edge_case_2.ics", func(c *cal) error {
		return same(dates(c.all()), []string{"2024-07-01", "2024-07-02", "2024-07-29"})
	}},
	{"A12", rie + "issue_163_deleted_modification.ics", func(c *cal) error { return count(c.at("2024-08-19"), 0) }},
	{"A12", rie + "issue_253_additional_recurrence_id.ics", func(c *cal) error {
		got := c.between(utc("2024-07-01"), utc("2024-08-01"))
		if err := same(dates(got), []string{"2024-07-01", "2024-07-15"}); err != nil {
			return err
		}
		for _, o := range got {
			if o.End.Sub(o.Start) != 7*24*time.Hour {
				return fmt.Errorf("%s lasts %s, want 7 days", o.Start.Format("2006-01-02"), o.End.Sub(o.Start))
			}
		}
		return nil
	}},
	{"A12", rie + "issue_253_edge_case_1.ics", func(c *cal) error {
		return first(summaryOn(c, "2024-07-01", "event 2"), summaryOn(c, "2024-07-29", "event 1"))
	}},
	{"A13", rie + "issue_36_recurrence_ID_format.ics", func(c *cal) error {
		return first(summaryOn(c, "2020-09-17", "Modified event"), summaryOn(c, "2020-09-14", "Modified event 1"), summaryOn(c, "2020-09-21", "Modified event 2"))
	}},
	{"A13", rie + "issue_151_macos_linux_difference.ics", func(c *cal) error {
		return first(count(c.at("2024-08-01"), 1), count(c.between(time.Unix(1722564000, 0), time.Unix(1722567600, 0)), 1))
	}},
	{"A13", rie + "issue_223_thunderbird.ics", func(c *cal) error {
		for _, d := range []string{"2025-04-23", "2025-04-24", "2025-04-25"} {
			got := c.at(d)
			if err := count(got, 1); err != nil {
				return fmt.Errorf("%s: %w", d, err)
			}
			if got[0].Sequence != 3 {
				return fmt.Errorf("%s: SEQUENCE %d, want 3", d, got[0].Sequence)
			}
		}
		return nil
	}},
}

func dayCounts(want map[string]int) func(c *cal) error {
	return func(c *cal) error {
		for day, n := range want {
			if err := count(c.at(day), n); err != nil {
				return fmt.Errorf("%s: %w", day, err)
			}
		}
		return nil
	}
}

func summaryOn(c *cal, day, want string) error {
	got := c.at(day)
	for _, o := range got {
		if o.Summary == want && o.Start.Format("2006-01-02") == day {
			return nil
		}
	}
	var ss []string
	for _, o := range got {
		ss = append(ss, o.Start.Format("2006-01-02")+" "+o.Summary)
	}
	return fmt.Errorf("%s: no occurrence titled %q starts that day (got %v)", day, want, ss)
}

func TestExpectedExpansions(t *testing.T) {
	requireCorpus(t)
	all := append(append([]expectation{}, expectations...), moreExpectations...)
	pass := 0
	for _, e := range all {
		t.Run(e.section+"/"+e.file, func(t *testing.T) {
			if err := e.check(load(t, e.file)); err != nil {
				t.Error(err)
				return
			}
			pass++
		})
	}
	t.Logf("EXPECTED.md: %d of %d entries pass", pass, len(all))
}
