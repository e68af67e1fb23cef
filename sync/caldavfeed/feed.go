// Package caldavfeed connects a CalDAV collection to the sync engine: it
// turns the adapter's change feed into the engine's Delta and keeps the
// adapter's cursor as the engine's opaque JSON string.
package caldavfeed

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/sync"
)

// Feed is one collection on one server.
type Feed struct {
	Client     *caldav.Client
	Collection string
}

// Changes implements sync.Feed.
func (f Feed) Changes(ctx context.Context, cursor string) (sync.Delta, string, error) {
	var cur caldav.Cursor
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &cur); err != nil {
			// A cursor we cannot read costs a full resync, not the data.
			cur = caldav.Cursor{}
		}
	}
	ch, next, err := f.Client.Changes(ctx, f.Collection, cur)
	d := sync.Delta{Deleted: ch.Deleted, Resynced: ch.Resynced, Requests: ch.Requests, Bytes: ch.Bytes}
	if err != nil {
		return d, cursor, err
	}
	for _, o := range ch.Updated {
		d.Updated = append(d.Updated, sync.Object{Href: o.Href, ETag: o.ETag, Data: o.Data})
	}
	for _, s := range ch.Skipped {
		d.Skipped = append(d.Skipped, s.Href+": "+s.Reason)
	}
	b, err := json.Marshal(next)
	if err != nil {
		return d, cursor, fmt.Errorf("caldav feed: cursor: %w", err)
	}
	return d, string(b), nil
}
