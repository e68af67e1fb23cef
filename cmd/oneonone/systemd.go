package main

import (
	"context"
	"net"
	"strconv"
	"time"
)

// notifier speaks systemd's notify protocol (sd_notify(3)): a datagram
// to $NOTIFY_SOCKET. Outside systemd it does nothing.
type notifier struct {
	socket string
}

func newNotifier(getenv func(string) string) notifier {
	return notifier{socket: getenv("NOTIFY_SOCKET")}
}

func (n notifier) notify(state string) error {
	if n.socket == "" {
		return nil
	}
	addr := &net.UnixAddr{Name: n.socket, Net: "unixgram"}
	if n.socket[0] == '@' {
		addr.Name = "\x00" + n.socket[1:] // abstract namespace
	}
	c, err := net.DialUnix("unixgram", nil, addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(state))
	return err
}

// watchdogInterval is half of WATCHDOG_USEC, or 0 when systemd did not
// ask for watchdog pings.
func watchdogInterval(getenv func(string) string) time.Duration {
	us, err := strconv.ParseInt(getenv("WATCHDOG_USEC"), 10, 64)
	if err != nil || us <= 0 {
		return 0
	}
	return time.Duration(us) * time.Microsecond / 2
}

// watchdog pings systemd while the database answers: a daemon whose
// database is stuck gets restarted instead of looking alive.
func (d *daemon) watchdog(ctx context.Context) error {
	every := watchdogInterval(d.env.getenv)
	if every == 0 {
		return nil
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, every)
		err := d.app.db.PingContext(pctx)
		cancel()
		if err != nil {
			d.log.Error("database does not answer; not pinging the watchdog", "err", err)
			continue
		}
		if err := d.notifier.notify("WATCHDOG=1"); err != nil {
			d.log.Warn("watchdog ping", "err", err)
		}
	}
}
