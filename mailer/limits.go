package mailer

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Limits bound how much mail goes out, whatever asks for it: anyone can
// put an event into a watched calendar and choose its attendees, so the
// daemon must never become a way to flood an address or burn the SMTP
// account's reputation. A message over a limit is held back, not dropped,
// until the window has room. Counts are mails per recipient address; zero
// turns that limit off.
type Limits struct {
	PerRecipientHour int // mails to one address in any hour
	PerRecipientDay  int // mails to one address in any 24 hours
	PerHour          int // mails to anyone in any hour
}

// DefaultLimits are far above what a person receives from oneonone (an
// invite, a reminder and perhaps an agenda per meeting: a manager with
// back-to-back 1:1s gets a handful an hour, a few dozen on the busiest
// day) and far below what makes a spam run. 1,000 an hour stays under the
// per-account sending caps of hosted mail (Microsoft 365 allows 30 a
// minute) while covering a deployment of several hundred people.
var DefaultLimits = Limits{PerRecipientHour: 10, PerRecipientDay: 40, PerHour: 1000}

// The limits' names, in logs, last_error and the metric's label.
const (
	LimitRecipientHour = "recipient_hour"
	LimitRecipientDay  = "recipient_day"
	LimitGlobalHour    = "global_hour"
)

// hold says which limit held a message back and until when.
type hold struct {
	limit string
	rcpt  string // "" for the global limit
	count int
	max   int
	until time.Time
}

func (h hold) reason() string {
	who := "to anyone"
	if h.rcpt != "" {
		who = "to " + h.rcpt
	}
	per := map[string]string{LimitRecipientHour: "hour", LimitRecipientDay: "day", LimitGlobalHour: "hour"}[h.limit]
	return fmt.Sprintf("held back by the rate limit of %d mails %s per %s (%s); next try %s",
		h.max, who, per, h.limit, h.until.UTC().Format(time.RFC3339))
}

// recipients returns the bare, lower-case addresses of m's recipients,
// or an error naming the first that is not a plain addr-spec. The
// calendars' rule is used again here, as a second line of defence: a
// quoted local part such as "a@b.example,victim"@evil.example is a
// valid RFC 5322 address that no calendar attendee should turn into.
func recipients(m Message) ([]string, error) {
	var out []string
	for _, to := range m.To {
		a, err := mail.ParseAddress(to)
		if err != nil {
			return nil, fmt.Errorf("mailer: recipient %q: %w", to, err)
		}
		addr := strings.ToLower(a.Address)
		if err := calendars.CheckEmail(addr); err != nil {
			return nil, fmt.Errorf("mailer: recipient %q is not a plain address (%v); not sent", a.Address, err)
		}
		out = append(out, addr)
	}
	return out, nil
}

// checkLimits returns the first limit that sending to rcpts now would
// break, or nil.
func checkLimits(ctx context.Context, o Queue, l Limits, rcpts []string, now time.Time) (*hold, error) {
	if h, err := overLimit(ctx, o, LimitGlobalHour, "", l.PerHour, time.Hour, now); h != nil || err != nil {
		return h, err
	}
	for _, r := range rcpts {
		if h, err := overLimit(ctx, o, LimitRecipientHour, r, l.PerRecipientHour, time.Hour, now); h != nil || err != nil {
			return h, err
		}
		if h, err := overLimit(ctx, o, LimitRecipientDay, r, l.PerRecipientDay, 24*time.Hour, now); h != nil || err != nil {
			return h, err
		}
	}
	return nil, nil
}

// overLimit counts the sends in (now-window, now], to rcpt or to anyone
// when rcpt is "", and when most is reached says when the window has room
// again: when the send that must drop out of it is window old.
func overLimit(ctx context.Context, o Queue, limit, rcpt string, most int, window time.Duration, now time.Time) (*hold, error) {
	if most <= 0 {
		return nil, nil
	}
	since := now.Add(-window)
	n, err := o.Sends(ctx, rcpt, since)
	if err != nil {
		return nil, fmt.Errorf("mailer: rate limit %s: %w", limit, err)
	}
	if n < most {
		return nil, nil
	}
	at, err := o.SendAt(ctx, rcpt, since, n-most)
	if err != nil {
		return nil, fmt.Errorf("mailer: rate limit %s: %w", limit, err)
	}
	return &hold{limit: limit, rcpt: rcpt, count: n, max: most, until: at.Add(window)}, nil
}
