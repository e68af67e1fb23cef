package main

import (
	"context"
	"fmt"
	"math"
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
			fmt.Fprintf(e.stdout, ", typical notice %s", formatNotice(st.TypicalNoticeHours, st.TypicalNoticeMinutes))
		}
		fmt.Fprintln(e.stdout)
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		for _, ev := range events {
			if ev.Pair[0] != st.Pair[0] || ev.Pair[1] != st.Pair[1] {
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", ev.ObservedAt, ev.Kind, describeEvent(ev), ev.Summary)
		}
		tw.Flush()
		fmt.Fprintln(e.stdout)
	}
}

func describeEvent(ev sync.Event) string {
	var parts []string
	if ev.From != nil && ev.To != nil {
		parts = append(parts, *ev.From+" → "+*ev.To)
	} else if ev.From != nil {
		parts = append(parts, *ev.From)
	} else if ev.To != nil {
		parts = append(parts, *ev.To)
	}
	if ev.NoticeHours != nil {
		parts = append(parts, formatNotice(ev.NoticeHours, ev.NoticeMinutes)+" notice")
	}
	if ev.Detail != "" {
		parts = append(parts, ev.Detail)
	}
	if len(ev.ConfirmedBy) > 0 {
		who := "confirmed by "
		if ev.Kind != "held" {
			who = "said by "
		}
		parts = append(parts, who+strings.Join(ev.ConfirmedBy, ", "))
	}
	return strings.Join(parts, "; ")
}

// formatNotice says a notice to the minute under a day ("45 min",
// "3h 05min") and in hours from a day on ("193h"). A change seen after the
// planned start has a negative notice: "-20 min".
func formatNotice(hours *float64, minutes *int) string {
	m := int(math.Round(*hours * 60))
	if minutes != nil {
		m = *minutes
	}
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	switch {
	case m < 60:
		return fmt.Sprintf("%s%d min", sign, m)
	case m < 24*60:
		return fmt.Sprintf("%s%dh %02dmin", sign, m/60, m%60)
	}
	return fmt.Sprintf("%s%.0fh", sign, float64(m)/60)
}
