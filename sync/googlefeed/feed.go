// Package googlefeed connects a Google calendar to the sync engine: it
// turns the adapter's change feed (each event rendered as iCalendar) into
// the engine's Delta and keeps the adapter's cursor as the engine's opaque
// JSON string.
package googlefeed

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/sync"
)

// Feed is one calendar of one Google account.
type Feed struct {
	Client     *google.Client
	CalendarID string // a calendar id; "" is "primary", the account's own
}

// Changes implements sync.Feed.
func (f Feed) Changes(ctx context.Context, cursor string) (sync.Delta, string, error) {
	var cur google.Cursor
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &cur); err != nil {
			// A cursor we cannot read costs a full resync, not the data.
			cur = google.Cursor{}
		}
	}
	id := f.CalendarID
	if id == "" {
		id = "primary"
	}
	ch, next, err := f.Client.Changes(ctx, id, cur)
	d := sync.Delta{Deleted: ch.Deleted, Resynced: ch.Resynced, Requests: ch.Requests, Bytes: ch.Bytes}
	if err != nil {
		return d, cursor, err
	}
	for _, o := range ch.Updated {
		d.Updated = append(d.Updated, sync.Object{Href: o.Href, ETag: o.ETag, Data: o.Data})
	}
	b, err := json.Marshal(next)
	if err != nil {
		return d, cursor, fmt.Errorf("google feed: cursor: %w", err)
	}
	return d, string(b), nil
}
