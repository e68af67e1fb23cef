package compose

import (
	"fmt"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/mailer"
)

// Disconnected tells a calendar's owner that oneonone lost access to it
// (a revoked or expired grant) and how to connect it again. It is not
// about one 1:1, so it carries no pause link; it is sent once per loss of
// access, which the caller's dedup key decides.
type Disconnected struct {
	From    string
	ReplyTo string
	To      Person
	// Calendar is the calendar's name in the config, Reason the
	// provider's answer in a few words (untrusted: made one line).
	Calendar string
	Reason   string
	// ReconnectURL is where the owner connects the calendar again, such
	// as PublicURL/connect.
	ReconnectURL string
}

type disconnectedView struct {
	To, Calendar, Reason, ReconnectURL string
}

// CalendarDisconnected renders the notice.
func CalendarDisconnected(d Disconnected) (mailer.Message, error) {
	if d.ReconnectURL == "" {
		return mailer.Message{}, fmt.Errorf("compose: disconnected: no reconnect URL")
	}
	v := disconnectedView{
		To:           label(d.To),
		Calendar:     calendars.OneLine(d.Calendar),
		Reason:       calendars.OneLine(d.Reason),
		ReconnectURL: calendars.OneLine(d.ReconnectURL),
	}
	return envelope{d.From, d.ReplyTo, d.To}.message("disconnected", v, fmt.Sprintf("oneonone can no longer reach your calendar “%s”", v.Calendar))
}
