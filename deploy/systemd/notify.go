// Package systemd speaks to systemd as the oneonone.service unit
// expects: readiness and stopping notices, and watchdog pings while the
// daemon's database answers.
package systemd

import (
	"context"
	"log/slog"
	"net"
	"strconv"
	"time"
)

// Notifier speaks systemd's notify protocol (sd_notify(3)): a datagram
// to $NOTIFY_SOCKET. Outside systemd it does nothing.
type Notifier struct {
	socket string
}

// NewNotifier reads $NOTIFY_SOCKET through getenv.
func NewNotifier(getenv func(string) string) Notifier {
	return Notifier{socket: getenv("NOTIFY_SOCKET")}
}

// Notify sends state ("READY=1", "STOPPING=1", "WATCHDOG=1").
func (n Notifier) Notify(state string) error {
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

// WatchdogInterval is half of $WATCHDOG_USEC, or 0 when systemd did not
// ask for watchdog pings.
func WatchdogInterval(getenv func(string) string) time.Duration {
	us, err := strconv.ParseInt(getenv("WATCHDOG_USEC"), 10, 64)
	if err != nil || us <= 0 {
		return 0
	}
	return time.Duration(us) * time.Microsecond / 2
}

// Watchdog pings systemd every interval while alive answers (the
// daemon's database): a daemon whose database is stuck gets restarted
// instead of looking alive. It returns when ctx ends; at once when
// interval is 0.
func (n Notifier) Watchdog(ctx context.Context, every time.Duration, alive func(context.Context) error, log *slog.Logger) error {
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
		err := alive(pctx)
		cancel()
		if err != nil {
			log.Error("database does not answer; not pinging the watchdog", "err", err)
			continue
		}
		if err := n.Notify("WATCHDOG=1"); err != nil {
			log.Warn("watchdog ping", "err", err)
		}
	}
}
