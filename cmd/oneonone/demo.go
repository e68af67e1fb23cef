package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavfs"
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
	if *dir == "" {
		d, err := os.MkdirTemp("", "oneonone-demo-")
		if err != nil {
			return err
		}
		*dir = d
	}
	dav, davURL, err := startDemoCalendar(ctx, *dir)
	if err != nil {
		return err
	}
	start := demoStart(e.now())
	if _, err := dav.Put("work", demoEvent, []byte(demoICS(start))); err != nil {
		return fmt.Errorf("demo: seed the calendar: %w", err)
	}
	addr, err := freeListen(*listen)
	if err != nil {
		return err
	}
	file, err := writeDemoConfig(*dir, addr, davURL)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, e, file)
	if err != nil {
		return err
	}
	defer a.Close()
	d, err := newDaemon(a, e)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "oneonone demo\n\n  a weekly 1:1 between Ada Lovelace and Grace Hopper starts at %s\n  calendar (CalDAV): %s\n  everything is in %s\n\nWaiting for the prep mails…\n\n",
		start.Format("Mon 15:04 MST"), davURL, *dir)
	go watchDemo(ctx, e, filepath.Join(*dir, "mail"), dav, start)
	return d.run(ctx)
}

const demoEvent = "weekly-1on1.ics"

func startDemoCalendar(ctx context.Context, dir string) (*caldavfs.Server, string, error) {
	dav, err := caldavfs.New(filepath.Join(dir, "calendar"), caldavfs.Options{User: "ada", Password: "demo"})
	if err != nil {
		return nil, "", fmt.Errorf("demo: calendar store: %w", err)
	}
	if _, err := dav.MakeCalendar("work"); err != nil {
		return nil, "", fmt.Errorf("demo: calendar: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("demo: calendar server: %w", err)
	}
	srv := &http.Server{Handler: dav.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	return dav, "http://" + ln.Addr().String() + "/ada/work/", nil
}

// freeListen returns addr when it can be bound, else a free port on the
// same host.
func freeListen(addr string) (string, error) {
	for _, a := range []string{addr, "127.0.0.1:0"} {
		ln, err := net.Listen("tcp", a)
		if err == nil {
			got := ln.Addr().String()
			ln.Close()
			return got, nil
		}
	}
	return "", errors.New("demo: no free port on 127.0.0.1")
}

func writeDemoConfig(dir, addr, davURL string) (string, error) {
	key := make([]byte, 32)
	rand.Read(key)
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(state, "secrets.key"), key, 0o400); err != nil && !os.IsExist(err) && !os.IsPermission(err) {
		return "", err
	}
	cfg := fmt.Sprintf(`# Written by oneonone demo.
state_dir  = "state"
listen     = %q
public_url = "http://%s"
log_level  = "warn"

[mail]
from    = "1:1 prep (demo) <oneonone@localhost>"
maildir = "mail"

[sync]
interval = "30s"

[prep]
agenda_quiet = "0s"   # a first look sees the agenda right after the answers


[[calendar]]
name     = "ada"
type     = "caldav"
url      = %q
username = "ada"
password = "demo"
email    = "ada@example.com"
`, addr, addr, davURL)
	file := filepath.Join(dir, "oneonone.toml")
	return file, os.WriteFile(file, []byte(cfg), 0o600)
}
