package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/oneonone/oneonone/sync"
)

func runSync(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "sync", "--once [--config FILE] [--json]")
	cfgFile := configFlag(fs)
	once := fs.Bool("once", false, "one sync cycle of every calendar, then exit")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*once {
		return usageError{"sync runs one cycle and needs --once; the daemon (oneonone run) syncs continuously"}
	}
	a, err := openApp(ctx, e, *cfgFile)
	if err != nil {
		return err
	}
	defer a.Close()
	cals, failed := a.calendars(ctx)
	sums := append(failed, a.engine(e).SyncAll(ctx, cals)...)
	if *asJSON {
		if err := writeJSON(e.stdout, map[string]any{"calendars": sums}); err != nil {
			return err
		}
	} else {
		printSync(e, sums)
	}
	for _, s := range sums {
		if s.Err != nil {
			return exitError{code: 1}
		}
	}
	return nil
}

func printSync(e *env, sums []sync.Summary) {
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CALENDAR\tSTATUS\tREQUESTS\tCHANGES\tHISTORY EVENTS")
	for _, s := range sums {
		status := "ok"
		if s.Resynced {
			status = "ok (full resync)"
		}
		if s.Err != nil {
			status = "FAILED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\n", s.Calendar, status, s.Requests, s.Changes, s.Events)
	}
	tw.Flush()
	for _, s := range sums {
		if s.Err != nil {
			fmt.Fprintf(e.stdout, "\n%s: %v\n", s.Calendar, s.Err)
		}
	}
}
