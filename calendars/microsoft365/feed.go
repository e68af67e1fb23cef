package microsoft365

import (
	"context"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/webapi"
)

// Feed is one mailbox's calendar as the engine reads it: each change
// (series rendered as iCalendar) as a calendars.Delta, the Cursor kept
// as an opaque JSON string. The calendarView read spans Past before now
// to Ahead after it (the engine's sync window).
type Feed struct {
	Client      *Client
	User        string // "" is the client's
	Past, Ahead time.Duration
	Now         func() time.Time // nil is time.Now
}

// Changes returns what changed since cursor, and the next cursor.
func (f Feed) Changes(ctx context.Context, cursor string) (calendars.Delta, string, error) {
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	past, ahead := f.Past, f.Ahead
	if past <= 0 && ahead <= 0 {
		past, ahead = 30*24*time.Hour, 60*24*time.Hour
	}
	t := now().UTC().Truncate(24 * time.Hour)
	user := f.User
	if user == "" {
		user = f.Client.User()
	}
	return webapi.FeedChanges("microsoft365 feed", cursor, func(cur Cursor) (Changes, Cursor, error) {
		return f.Client.Changes(ctx, user, cur, t.Add(-past), t.Add(ahead+24*time.Hour))
	})
}
