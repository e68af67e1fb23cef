package webapi

import (
	"encoding/json"
	"fmt"

	"github.com/oneonone/oneonone/calendars"
)

// Object is one API event rendered as iCalendar: Href is the event id.
type Object struct {
	Href, ETag string
	Data       []byte
}

// Changes is what changed in a calendar since a cursor.
type Changes struct {
	Updated  []Object
	Deleted  []string // event ids
	Resynced bool     // the whole calendar (or window) was read and reconciled
	Requests int      // API requests made, retries included
	Bytes    int64    // response bytes read
}

// Delta is ch as the engine reads it.
func (ch Changes) Delta() calendars.Delta {
	d := calendars.Delta{Deleted: ch.Deleted, Resynced: ch.Resynced, Requests: ch.Requests, Bytes: ch.Bytes}
	for _, o := range ch.Updated {
		d.Updated = append(d.Updated, calendars.Object{Href: o.Href, ETag: o.ETag, Data: o.Data})
	}
	return d
}

// FeedChanges is a feed's Changes around an adapter's read: the engine's
// opaque cursor is the JSON of the adapter's C (one that cannot be read
// is the zero C: it costs a full read, not the data), and on error the
// cursor given is returned. name (the feed) starts the errors.
func FeedChanges[C any](name, cursor string, read func(cur C) (Changes, C, error)) (calendars.Delta, string, error) {
	var cur C
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &cur); err != nil {
			var zero C
			cur = zero
		}
	}
	ch, next, err := read(cur)
	if err != nil {
		return ch.Delta(), cursor, err
	}
	b, err := json.Marshal(next)
	if err != nil {
		return ch.Delta(), cursor, fmt.Errorf("%s: cursor: %w", name, err)
	}
	return ch.Delta(), string(b), nil
}
