package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/oneonone/oneonone/sync"
)

func runSeries(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "series", "[--config FILE] [--json]")
	cfgFile := configFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := openApp(ctx, e, *cfgFile)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := sync.ListSeries(ctx, a.db, e.now(), kindSharing)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"series": list})
	}
	return printSeries(e, list)
}

// printSeries prints one line per series (sync.Lines).
func printSeries(e *env, list []sync.SeriesInfo) error {
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "No recurring events seen yet. Run 'oneonone sync --once' first.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "1:1\tSUMMARY\tCALENDAR\tNEXT\tWHY")
	for _, s := range sync.Lines(list) {
		mark := "no"
		if s.OneOnOne {
			mark = "yes"
		}
		if s.State != "active" {
			mark += " (" + s.State + ")"
		}
		next := "-"
		if s.Next != nil {
			next = *s.Next
		}
		why := strings.ReplaceAll(s.Why, "\t", " ")
		if s.Continues != "" {
			why += fmt.Sprintf("; continues series %s since %s", s.Continues, s.Since)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", mark, s.Summary, s.Calendar, next, why)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return printAgendaRoutes(e.stdout, list)
}

// printAgendaRoutes says, under each active 1:1, where each person finds
// its agenda and why.
func printAgendaRoutes(w io.Writer, list []sync.SeriesInfo) error {
	first := true
	for _, s := range list {
		if len(s.Agenda) == 0 {
			continue
		}
		if first {
			fmt.Fprintln(w, "\nWhere the agenda goes:")
			first = false
		}
		fmt.Fprintf(w, "  %s\n", s.Summary)
		for _, r := range s.Agenda {
			where := "by mail"
			if r.Via == "calendar" {
				where = "in " + strings.Join(r.Calendars, ", ")
			}
			if _, err := fmt.Fprintf(w, "    %s: %s — %s\n", r.Email, where, r.Why); err != nil {
				return err
			}
		}
	}
	return nil
}
