package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/oneonone/oneonone/sync"
)

func runHistory(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "history", "[--config FILE] [--pair A,B] [--json]")
	cfgFile := configFlag(fs)
	pairFlag := fs.String("pair", "", "only this pair: two email addresses separated by a comma")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var pair []string
	if *pairFlag != "" {
		pair = strings.Split(*pairFlag, ",")
		if len(pair) != 2 || !strings.Contains(pair[0], "@") || !strings.Contains(pair[1], "@") {
			return usageError{fmt.Sprintf("--pair %q: give two email addresses separated by a comma, e.g. ada@example.com,grace@example.com", *pairFlag)}
		}
	}
	a, err := openApp(ctx, e, *cfgFile)
	if err != nil {
		return err
	}
	defer a.Close()
	events, err := sync.History(ctx, a.db, pair)
	if err != nil {
		return err
	}
	stats := sync.Stats(events)
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"events": events, "pairs": stats})
	}
	printHistory(e, events, stats)
	return nil
}

func printHistory(e *env, events []sync.Event, stats []sync.PairStats) {
	if len(events) == 0 {
		fmt.Fprintln(e.stdout, "No history yet. Run 'oneonone sync --once' first.")
		return
	}
	for _, st := range stats {
		fmt.Fprintf(e.stdout, "%s & %s: %d held, %d moved, %d cancelled, %d declined, %d not held", st.Pair[0], st.Pair[1], st.Held, st.Moved, st.Cancelled, st.Declined, st.NotHeld)
		if st.Streak > 0 {
			fmt.Fprintf(e.stdout, ", %d in a row did not happen", st.Streak)
		}
		if st.CancelRate8 != nil {
			fmt.Fprintf(e.stdout, ", %.0f%% of the last %d did not happen", *st.CancelRate8*100, sync.RecentWindow)
		}
		if st.TypicalNoticeHours != nil {
			fmt.Fprintf(e.stdout, ", typical notice %s", sync.Notice(st.TypicalNoticeHours, st.TypicalNoticeMinutes))
		}
		fmt.Fprintln(e.stdout)
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		for _, ev := range events {
			if ev.Pair[0] != st.Pair[0] || ev.Pair[1] != st.Pair[1] {
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", ev.ObservedAt, ev.Kind, ev.Describe(), ev.Summary)
		}
		tw.Flush()
		fmt.Fprintln(e.stdout)
	}
}
