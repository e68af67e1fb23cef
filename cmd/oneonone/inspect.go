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
	out := calendars.Inspect(files, unreadable, opt, win[0], win[1])
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

func printInspect(w io.Writer, out calendars.Inspection) {
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
