package google

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/oneonone/oneonone/calendars"
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
	var cur Cursor
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &cur); err != nil {
			// A cursor we cannot read costs a full resync, not the data.
			cur = Cursor{}
		}
	}
	id := f.CalendarID
	if id == "" {
		id = "primary"
	}
	ch, next, err := f.Client.Changes(ctx, id, cur)
	d := calendars.Delta{Deleted: ch.Deleted, Resynced: ch.Resynced, Requests: ch.Requests, Bytes: ch.Bytes}
	if err != nil {
		return d, cursor, err
	}
	for _, o := range ch.Updated {
		d.Updated = append(d.Updated, calendars.Object{Href: o.Href, ETag: o.ETag, Data: o.Data})
	}
	b, err := json.Marshal(next)
	if err != nil {
		return d, cursor, fmt.Errorf("google feed: cursor: %w", err)
	}
	return d, string(b), nil
}
