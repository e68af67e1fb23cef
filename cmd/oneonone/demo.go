package main

import (
	"context"
	"fmt"

	"github.com/oneonone/oneonone/deploy/demo"
)

// runDemo runs the real daemon against an in-process CalDAV server seeded
// with a weekly 1:1 that starts within the hour. Mail goes to a Maildir
// and is printed; as answers come in, the event's new description is
// printed too.
func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "demo", "[--listen ADDR] [--dir DIR]")
	listen := fs.String("listen", "127.0.0.1:8080", "where the prep forms are served (a free port is taken when this one is busy)")
	dir := fs.String("dir", "", "where the demo keeps its calendar, mail and database (default: a new temporary directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	w, err := demo.Start(ctx, *dir, *listen, e.now())
	if err != nil {
		return err
	}
	a, err := openApp(ctx, e, w.Config)
	if err != nil {
		return err
	}
	defer a.Close()
	d, err := newDaemon(a, e)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "oneonone demo\n\n  a weekly 1:1 between Ada Lovelace and Grace Hopper starts at %s\n  calendar (CalDAV): %s\n  everything is in %s\n\nWaiting for the prep mails…\n\n",
		w.Start.Format("Mon 15:04 MST"), w.CalendarURL, w.Dir)
	go w.Watch(ctx, e.stdout)
	return d.run(ctx)
}
