package google

import (
	"context"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/webapi"
)

// Feed is one calendar of one Google account as the engine reads it:
// each change (events rendered as iCalendar) as a calendars.Delta, the
// Cursor kept as an opaque JSON string.
type Feed struct {
	Client     *Client
	CalendarID string // a calendar id; "" is "primary", the account's own
}

// Changes returns what changed since cursor, and the next cursor.
func (f Feed) Changes(ctx context.Context, cursor string) (calendars.Delta, string, error) {
	id := f.CalendarID
	if id == "" {
		id = "primary"
	}
	return webapi.FeedChanges("google feed", cursor, func(cur Cursor) (Changes, Cursor, error) {
		return f.Client.Changes(ctx, id, cur)
	})
}
