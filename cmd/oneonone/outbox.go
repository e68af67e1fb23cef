package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/oneonone/oneonone/mailer"
	mailstore "github.com/oneonone/oneonone/mailer/store"
)

func runOutbox(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return runOutboxList(ctx, e, args[1:])
		case "retry":
			return runOutboxRetry(ctx, e, args[1:])
		}
	}
	return usageError{"say what to do: 'oneonone outbox list' shows failed, held back and expired mail, 'oneonone outbox retry [--since T]' sends failed mail again"}
}

func runOutboxList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "outbox list", "[--config FILE] [--json] [--limit N]")
	cfgFile := configFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 100, "show at most this many, newest first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *limit < 1 {
		return usageError{fmt.Sprintf("--limit %d: give a positive number", *limit)}
	}
	a, err := openApp(ctx, e, *cfgFile)
	if err != nil {
		return err
	}
	defer a.Close()
	entries, err := mailer.Problems(ctx, mailstore.NewOutbox(a.db, e.now), *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"messages": entries})
	}
	if len(entries) == 0 {
		fmt.Fprintln(e.stdout, "No failed, held back or expired mail.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTO\tKIND\tSTATE\tATTEMPTS\tLAST ERROR")
	for _, en := range entries {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", en.ID, strings.Join(en.To, ", "), en.Kind, en.State, en.Attempts,
			strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(en.LastError))
	}
	return tw.Flush()
}

func runOutboxRetry(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "outbox retry", "[--config FILE] [--since T]")
	cfgFile := configFlag(fs)
	sinceFlag := fs.String("since", "", "only mail that failed at or after this time (RFC 3339 or a date); default all")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var since time.Time
	if *sinceFlag != "" {
		t, err := parseInstant(*sinceFlag)
		if err != nil {
			return usageError{fmt.Sprintf("--since %q: %v", *sinceFlag, err)}
		}
		since = t
	}
	a, err := openApp(ctx, e, *cfgFile)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := mailstore.NewOutbox(a.db, e.now).Retry(ctx, since)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Requeued %d failed %s; the running daemon sends %s within a minute.\n", n, plural(n, "mail", "mails"), plural(n, "it", "them"))
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
