package caldav

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	gosync "sync"

	"github.com/oneonone/oneonone/calendars"
)

// Feed is one collection on one server as the engine reads it: each
// change as a calendars.Delta, the Cursor kept as an opaque JSON string.
type Feed struct {
	Client     *Client
	Collection string
	// NoSync: the server said it has no sync-collection (a stored
	// discovery); the feed lists by PROPFIND without asking.
	NoSync bool
	// Setup, when set, is what discovering the collection cost and read
	// in this run, handed to the first Changes only.
	Setup *FeedSetup
	// Gone, when set, is called when the collection answers 404/410 or
	// redirects: its calendars must be found again.
	Gone func()
}

// FeedSetup is what setting a feed up cost (discovery requests) and learnt
// (the collection's ctag, sync token, reports). The first Changes counts
// the requests in its Delta and uses what was learnt; later ones do not,
// since a ctag read earlier would hide changes.
type FeedSetup struct {
	mu       gosync.Mutex
	used     bool
	requests int
	known    Known
}

// NewFeedSetup records what setting a feed up cost and learnt.
func NewFeedSetup(requests int, known Known) *FeedSetup {
	return &FeedSetup{requests: requests, known: known}
}

func (s *FeedSetup) take() (int, Known) {
	if s == nil {
		return 0, Known{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used {
		return 0, Known{}
	}
	s.used = true
	return s.requests, s.known
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
	setupRequests, known := f.Setup.take()
	known.NoSync = known.NoSync || f.NoSync
	ch, next, err := f.Client.ChangesKnown(ctx, f.Collection, cur, known)
	d := calendars.Delta{Deleted: ch.Deleted, Resynced: ch.Resynced, Requests: setupRequests + ch.Requests, Bytes: ch.Bytes}
	if f.Gone != nil && (ch.Moved || errors.Is(err, ErrNotFound)) {
		f.Gone()
	}
	if err != nil {
		return d, cursor, err
	}
	for _, o := range ch.Updated {
		d.Updated = append(d.Updated, calendars.Object{Href: o.Href, ETag: o.ETag, Data: o.Data})
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
