// Package demo is the world `oneonone demo` runs the real daemon in: an
// in-process CalDAV server seeded with a weekly 1:1 that starts within
// the hour, a config that sends mail to a Maildir, and a watcher that
// prints the mails and the event's description as they change.
package demo

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

// World is a demo set up in Dir: its calendar server, the seeded 1:1's
// first start and the config file that points the daemon at both.
type World struct {
	Dir         string
	CalendarURL string
	Config      string    // the config file written for the daemon
	Start       time.Time // the 1:1's first occurrence
	dav         *caldavfs.Server
}

const demoEvent = "weekly-1on1.ics"

// Start sets the demo up in dir ("" is a new temporary directory): the
// calendar server (until ctx ends), the seeded 1:1 starting soon after
// now, and a config serving the forms at listen, or at a free port on
// 127.0.0.1 when listen is busy.
func Start(ctx context.Context, dir, listen string, now time.Time) (*World, error) {
	if dir == "" {
		d, err := os.MkdirTemp("", "oneonone-demo-")
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		dir = d
	}
	w := &World{Dir: dir, Start: firstStart(now)}
	if err := w.startCalendar(ctx); err != nil {
		return nil, err
	}
	if _, err := w.dav.Put("work", demoEvent, []byte(seriesICS(w.Start, now))); err != nil {
		return nil, fmt.Errorf("demo: seed the calendar: %w", err)
	}
	addr, err := freeListen(listen)
	if err != nil {
		return nil, err
	}
	if w.Config, err = writeConfig(dir, addr, w.CalendarURL); err != nil {
		return nil, fmt.Errorf("demo: config: %w", err)
	}
	return w, nil
}

func (w *World) startCalendar(ctx context.Context) error {
	dav, err := caldavfs.New(filepath.Join(w.Dir, "calendar"), caldavfs.Options{User: "ada", Password: "demo"})
	if err != nil {
		return fmt.Errorf("demo: calendar store: %w", err)
	}
	if _, err := dav.MakeCalendar("work"); err != nil {
		return fmt.Errorf("demo: calendar: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: calendar server: %w", err)
	}
	srv := &http.Server{Handler: dav.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	w.dav, w.CalendarURL = dav, "http://"+ln.Addr().String()+"/ada/work/"
	return nil
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

func writeConfig(dir, addr, davURL string) (string, error) {
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
