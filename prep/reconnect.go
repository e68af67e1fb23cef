package prep

import (
	"context"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/compose"
)

// ReconnectMail asks the owner of a calendar whose access was revoked to
// connect it again through the daemon's /connect/google page. Its dedup
// key carries the day, so the owner hears of it at most once a day per
// calendar however often the daemon retries.
func ReconnectMail(s Settings, calendar, owner, reason string, now time.Time) (mailer.Message, error) {
	msg, err := compose.CalendarDisconnected(compose.Disconnected{From: s.From, ReplyTo: s.ReplyTo,
		To: compose.Person{Email: owner}, Calendar: calendar, Reason: reason, ReconnectURL: s.PublicURL + "/connect/google"})
	if err != nil {
		return mailer.Message{}, fmt.Errorf("prep: reconnect mail for %s: %w", calendar, err)
	}
	msg.DedupKey = "reconnect:" + calendar + ":" + now.UTC().Format("2006-01-02")
	return msg, nil
}

// Reconnects asks owners whose calendar's access was revoked to connect
// it again, by mail (ReconnectMail: at most once a day per calendar).
type Reconnects struct {
	Outbox   Outbox
	Settings Settings
	Now      func() time.Time // time.Now when nil
	Notify   func()           // wakes the outbox worker; may be nil
}

// Ask queues the mail to owner saying calendar's access was refused for
// reason.
func (r Reconnects) Ask(ctx context.Context, calendar, owner, reason string) error {
	msg, err := ReconnectMail(r.Settings, calendar, owner, reason, clock(r.Now))
	if err != nil {
		return err
	}
	if _, _, err := r.Outbox.Enqueue(ctx, nil, msg); err != nil {
		return fmt.Errorf("prep: reconnect mail for %s: %w", calendar, err)
	}
	if r.Notify != nil {
		r.Notify()
	}
	return nil
}
