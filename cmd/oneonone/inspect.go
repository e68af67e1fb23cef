package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

type inspectOutput struct {
	Series []inspectSeries     `json:"series"`
	Errors []calendars.Problem `json:"errors"`
	Window map[string]string   `json:"window"`
}

type inspectSeries struct {
	UID         string              `json:"uid"`
	Summary     string              `json:"summary"`
	TimeZone    string              `json:"timezone"`
	Organizer   string              `json:"organizer"`
	Attendees   []inspectAttendee   `json:"attendees"`
	Recurring   bool                `json:"recurring"`
	OneOnOne    bool                `json:"one_on_one"`
	Why         string              `json:"why"`
	Occurrences []inspectOccurrence `json:"occurrences"`
}

type inspectAttendee struct {
	Email    string `json:"email"`
	Name     string `json:"name,omitempty"`
	PartStat string `json:"partstat"`
	Role     string `json:"role"`
	Kind     string `json:"kind"`
}

type inspectOccurrence struct {
	RecurrenceID string `json:"recurrence_id"`
	Start        string `json:"start"`
	End          string `json:"end"`
	AllDay       bool   `json:"all_day"`
	Status       string `json:"status"`
	Moved        bool   `json:"moved"`
	Summary      string `json:"summary,omitempty"`
}

func runInspect(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "inspect", "[--from T] [--to T] [--tz ZONE] [--json] FILE.ics…")
	from := fs.String("from", "", "window start: RFC 3339 or YYYY-MM-DD (default: 30 days ago)")
	to := fs.String("to", "", "window end, exclusive: RFC 3339 or YYYY-MM-DD (default: 60 days ahead)")
	zone := fs.String("tz", "", "IANA zone for floating times when a file names none (default UTC)")
	asJSON := fs.Bool("json", false, "print JSON (the documented shape) instead of a table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"name at least one .ics file"}
	}
	now := e.now()
	win, err := parseWindow(*from, *to, now)
	if err != nil {
		return err
	}
	opt := calendars.ReadOptions{}
	if *zone != "" {
		loc, err := time.LoadLocation(*zone)
		if err != nil {
			return usageError{fmt.Sprintf("--tz %q is not an IANA time zone (e.g. Europe/Berlin)", *zone)}
		}
		opt.DefaultZone = loc
	}
	files, unreadable := readFiles(fs.Args())
	series, probs := calendars.ReadICS(files, opt)
	out := inspectOutput{Series: []inspectSeries{}, Errors: append(unreadable, probs...), Window: map[string]string{
		"from": win[0].Format(time.RFC3339), "to": win[1].Format(time.RFC3339)}}
	if out.Errors == nil {
		out.Errors = []calendars.Problem{}
	}
	rules := calendars.DefaultRules()
	for _, s := range series {
		d, cut := describe(s, rules, win[0], win[1])
		out.Series = append(out.Series, d)
		if cut != "" {
			out.Errors = append(out.Errors, s.Problem(cut))
		}
	}
	if *asJSON {
		if err := writeJSON(e.stdout, out); err != nil {
			return err
		}
	} else {
		printInspect(e.stdout, out)
	}
	if len(unreadable) > 0 {
		return exitError{code: 1}
	}
	return nil
}

func readFiles(names []string) ([]calendars.File, []calendars.Problem) {
	var files []calendars.File
	var probs []calendars.Problem
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			probs = append(probs, calendars.Problem{File: n, Message: fmt.Sprintf("cannot read: %v", err)})
			continue
		}
		files = append(files, calendars.File{Name: n, Data: data})
	}
	return files, probs
}

func parseWindow(from, to string, now time.Time) ([2]time.Time, error) {
	w := [2]time.Time{now.Add(-30 * 24 * time.Hour), now.Add(60 * 24 * time.Hour)}
	for i, s := range []string{from, to} {
		if s == "" {
			continue
		}
		t, err := parseInstant(s)
		if err != nil {
			return w, usageError{fmt.Sprintf("--%s %q: %v", []string{"from", "to"}[i], s, err)}
		}
		w[i] = t
	}
	if !w[1].After(w[0]) {
		return w, usageError{"--to must be after --from"}
	}
	return w, nil
}

// parseInstant accepts RFC 3339, a date (midnight UTC) or a date and time
// without zone (UTC).
func parseInstant(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02", "2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time; use RFC 3339 (2026-03-01T09:00:00Z) or a date (2026-03-01)")
}

// describe also returns why the expansion was cut short, "" when it was not.
func describe(s *calendars.Series, rules calendars.Rules, from, to time.Time) (inspectSeries, string) {
	d := calendars.Detect(s, rules)
	out := inspectSeries{UID: s.UID, Summary: s.Summary, TimeZone: s.TimeZone, Organizer: s.Organizer.Email,
		Attendees: []inspectAttendee{}, Recurring: s.Recurring(), OneOnOne: d.OneOnOne, Why: d.Why,
		Occurrences: []inspectOccurrence{}}
	for _, a := range s.Attendees {
		out.Attendees = append(out.Attendees, inspectAttendee{Email: a.Email, Name: a.Name,
			PartStat: string(a.PartStat), Role: a.Role, Kind: string(a.Kind)})
	}
	occs, cut := s.ExpandBounded(from, to)
	for _, o := range occs {
		out.Occurrences = append(out.Occurrences, inspectOccurrence{
			RecurrenceID: calendars.FormatKey(o.Key, o.AllDay), Start: calendars.FormatTime(o.Start, o.AllDay), End: calendars.FormatTime(o.End, o.AllDay),
			AllDay: o.AllDay, Status: string(o.Status), Moved: o.Moved, Summary: overrideSummary(s, o)})
	}
	return out, cut
}

func overrideSummary(s *calendars.Series, o calendars.Occurrence) string {
	if o.Summary != s.Summary {
		return o.Summary
	}
	return ""
}

func printInspect(w io.Writer, out inspectOutput) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "window %s – %s\n\n", out.Window["from"], out.Window["to"])
	for _, s := range out.Series {
		mark := "no "
		if s.OneOnOne {
			mark = "1:1"
		}
		fmt.Fprintf(tw, "%s  %s  (%s)\n", mark, s.Summary, s.UID)
		fmt.Fprintf(tw, "     why: %s\n", s.Why)
		if s.TimeZone != "" {
			fmt.Fprintf(tw, "     zone: %s\n", s.TimeZone)
		}
		for _, o := range s.Occurrences {
			var flags []string
			if o.Status != "confirmed" {
				flags = append(flags, o.Status)
			}
			if o.Moved {
				flags = append(flags, "moved from "+o.RecurrenceID)
			}
			if o.Summary != "" {
				flags = append(flags, fmt.Sprintf("%q", o.Summary))
			}
			fmt.Fprintf(tw, "     \t%s\t%s\t%s\n", o.Start, o.End, strings.Join(flags, ", "))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	if len(out.Errors) > 0 {
		fmt.Fprintf(w, "%d problem(s):\n", len(out.Errors))
		for _, p := range out.Errors {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
}
