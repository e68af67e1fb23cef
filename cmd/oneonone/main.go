// Command oneonone turns the recurring 1:1 meetings in people's calendars
// into prepared meetings. See README.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// command is one subcommand. run gets the arguments after the
// subcommand's name and returns an error for the user; a usageError makes
// main print the command's usage too.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch of the outside world, so tests can run
// commands in-process.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	reload         <-chan struct{} // SIGHUP, for the daemon; nil elsewhere
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// commands is every subcommand, in the order usage lists them.
var commands = []command{
	{name: "check", summary: "validate the config, reach every calendar and the SMTP server", run: runCheck},
	{name: "connect", summary: "connect a Google account (OAuth with PKCE) for its calendar to be watched", run: runConnect},
	{name: "db", summary: "db copy --from sqlite:PATH: move a SQLite deployment into the configured PostgreSQL", run: runDB},
	{name: "demo", summary: "the whole flow on this machine, nothing to configure", run: runDemo},
	{name: "export", summary: "one pair's record (history, counts, occurrences) as JSON, CSV or Markdown", run: runExport},
	{name: "history", summary: "what happened to each pair's meetings, with counts", run: runHistory},
	{name: "inspect", summary: "parse, expand and detect 1:1s in .ics files (offline)", run: runInspect},
	{name: "outbox", summary: "mail that failed, is held back or expired: list it, send it again", run: runOutbox},
	{name: "run", summary: "the daemon: sync, prep mails, the form server, until SIGTERM", run: runDaemon},
	{name: "series", summary: "tracked series, and why each recurring event was or was not taken", run: runSeries},
	{name: "sync", summary: "sync every calendar once and print a summary", run: runSync},
}

// lookup returns the subcommand called name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func main() { os.Exit(run()) }

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Signals are turned into the context and a reload channel here, and
	// nowhere else.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	reload := make(chan struct{}, 1)
	go func() {
		for range hup {
			select {
			case reload <- struct{}{}:
			default:
			}
		}
	}()
	return runArgs(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now, reload: reload}, os.Args[1:])
}

func runArgs(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(e.stderr, "oneonone: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return 2
	}
	err := c.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(e.stderr, "oneonone %s: %v\nRun 'oneonone %s -h' for usage.\n", c.name, err, c.name)
		return 2
	default:
		var ex exitError
		if errors.As(err, &ex) {
			if ex.msg != "" {
				fmt.Fprintf(e.stderr, "oneonone %s: %s\n", c.name, ex.msg)
			}
			return ex.code
		}
		fmt.Fprintf(e.stderr, "oneonone %s: %v\n", c.name, err)
		return 1
	}
}

// exitError ends a command with a given status, e.g. 1 when inspect
// reported per-file errors but still printed its result.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: oneonone COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'oneonone COMMAND -h' for a command's flags.")
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(e *env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: oneonone %s %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// configFlag is the --config flag every command that reads the config has.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "config file (default $ONEONONE_CONFIG, else /etc/oneonone/oneonone.toml)")
}

// writeJSON prints v as indented JSON: the documented shapes.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
