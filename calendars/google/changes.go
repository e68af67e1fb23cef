package google

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/oneonone/oneonone/calendars/webapi"
	"google.golang.org/api/calendar/v3"
)

// maxPages guards against a listing that never ends.
const maxPages = 10000

// Cursor is where a calendar's change feed stands.
type Cursor struct {
	// SyncToken is the nextSyncToken of the last complete listing.
	SyncToken string `json:"sync_token,omitempty"`
	// Events maps every event id delivered (and not deleted since) to its
	// iCalUID: sparse cancelled instances name only their master's id,
	// and a full resync deletes the ids it no longer sees.
	Events map[string]string `json:"events,omitempty"`
}

// Object is one Google event as iCalendar: Href is the event id.
type Object = webapi.Object

// Changes is what changed in a calendar since a cursor.
type Changes = webapi.Changes

// Changes lists what changed in calendarID since cur: events.list with
// the sync token and showDeleted, every page, the new token taken from
// the last page only. Without a token, or when Google answers 410 to it,
// the whole calendar is listed and reconciled with the ids cur knows.
// Recurring events, their exceptions and cancelled instances are passed
// on; one-off events only when they used to recur. On error the returned
// cursor is cur.
func (c *Client) Changes(ctx context.Context, calendarID string, cur Cursor) (Changes, Cursor, error) {
	m := &webapi.Meter{}
	ctx = webapi.WithMeter(ctx, m)
	ch, next, err := c.changes(ctx, calendarID, cur)
	ch.Requests, ch.Bytes = int(m.Requests.Load()), m.Bytes.Load()
	if err != nil {
		return ch, cur, fmt.Errorf("google: list %s of %s: %w", calendarID, c.account, err)
	}
	return ch, next, nil
}

func (c *Client) changes(ctx context.Context, calendarID string, cur Cursor) (Changes, Cursor, error) {
	full := cur.SyncToken == ""
	items, token, err := c.list(ctx, calendarID, cur.SyncToken)
	if err != nil && !full && isGone(err) {
		c.log.Info("google: sync token expired; listing the whole calendar", "calendar", calendarID)
		full = true
		items, token, err = c.list(ctx, calendarID, "")
	}
	if err != nil {
		return Changes{}, cur, err
	}
	next := Cursor{SyncToken: token, Events: maps.Clone(cur.Events)}
	if next.Events == nil {
		next.Events = map[string]string{}
	}
	ch := Changes{Resynced: full}
	if err := c.apply(ctx, calendarID, items, &next, &ch); err != nil {
		return ch, cur, err
	}
	if full {
		ch.Deleted = append(ch.Deleted, absent(items, &next)...)
	}
	return ch, next, nil
}

// list returns every item of a listing and the sync token of its last
// page.
func (c *Client) list(ctx context.Context, calendarID, syncToken string) ([]*calendar.Event, string, error) {
	var items []*calendar.Event
	pageToken := ""
	for range maxPages {
		var page *calendar.Events
		err := c.do(ctx, func(ctx context.Context) error {
			call := c.svc.Events.List(calendarID).ShowDeleted(true).MaxResults(int64(c.opt.PageSize)).Context(ctx)
			if syncToken != "" {
				call.SyncToken(syncToken)
			}
			if pageToken != "" {
				call.PageToken(pageToken)
			}
			var err error
			page, err = call.Do()
			return err
		})
		if err != nil {
			return nil, "", err
		}
		items = append(items, page.Items...)
		if page.NextPageToken == "" {
			if page.NextSyncToken == "" {
				return nil, "", errors.New("the last page carries no nextSyncToken")
			}
			return items, page.NextSyncToken, nil
		}
		pageToken = page.NextPageToken
	}
	return nil, "", fmt.Errorf("more than %d pages", maxPages)
}

// apply turns listed items into objects and deletions. Masters are
// learned first so that their exceptions and cancelled instances, in
// whatever order they come, find their UID.
func (c *Client) apply(ctx context.Context, calendarID string, items []*calendar.Event, next *Cursor, ch *Changes) error {
	gone := map[string]bool{} // UIDs of series deleted in this batch
	for _, ev := range items {
		switch {
		case ev.RecurringEventId != "":
		case ev.Status == "cancelled":
			if uid := next.Events[ev.Id]; uid != "" {
				gone[uid] = true
			}
		case ev.ICalUID != "" && !single(ev):
			next.Events[ev.Id] = ev.ICalUID
		}
	}
	for _, ev := range items {
		if ev.Status == "cancelled" && ev.RecurringEventId == "" {
			ch.Deleted = append(ch.Deleted, deleteSeries(ev.Id, next)...)
			continue
		}
		if _, known := next.Events[ev.Id]; !known && single(ev) {
			continue
		}
		uid, err := c.uidOf(ctx, calendarID, ev, next)
		if err != nil {
			return err
		}
		if uid == "" || gone[uid] {
			delete(next.Events, ev.Id)
			continue
		}
		data, err := renderEvent(ev, uid)
		if err != nil {
			c.log.Warn("google: event skipped", "calendar", calendarID, "event", ev.Id, "err", err)
			continue
		}
		next.Events[ev.Id] = uid
		ch.Updated = append(ch.Updated, Object{Href: ev.Id, ETag: ev.Etag, Data: data})
	}
	return nil
}

// single is a one-off event. Those are passed on only when they were
// delivered before (a series that became a single event), so the engine
// and the cursor do not hold every meeting of a calendar: a one-off is
// never a tracked series.
func single(ev *calendar.Event) bool {
	return ev.RecurringEventId == "" && len(ev.Recurrence) == 0
}

// deleteSeries forgets a deleted event and, for a recurring one, the
// exceptions delivered with its UID: Google does not list them again.
func deleteSeries(id string, next *Cursor) []string {
	uid, known := next.Events[id]
	if !known {
		return nil // never delivered: nothing to delete
	}
	out := []string{id}
	delete(next.Events, id)
	for other, u := range next.Events {
		if u == uid && uid != "" {
			out = append(out, other)
			delete(next.Events, other)
		}
	}
	slices.Sort(out[1:])
	return out
}

// uidOf is the iCalUID an item is filed under: its own, or for a sparse
// cancelled instance its master's (from the cursor, else events.get).
func (c *Client) uidOf(ctx context.Context, calendarID string, ev *calendar.Event, next *Cursor) (string, error) {
	if ev.ICalUID != "" {
		return ev.ICalUID, nil
	}
	if ev.RecurringEventId == "" {
		return "", nil
	}
	if uid := next.Events[ev.RecurringEventId]; uid != "" {
		return uid, nil
	}
	var master *calendar.Event
	err := c.do(ctx, func(ctx context.Context) error {
		var err error
		master, err = c.svc.Events.Get(calendarID, ev.RecurringEventId).Context(ctx).Do()
		return err
	})
	switch {
	case isStatus(err, 404) || isGone(err):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("master of %s: %w", ev.Id, err)
	case master.Status == "cancelled":
		return "", nil
	}
	next.Events[ev.RecurringEventId] = master.ICalUID
	return master.ICalUID, nil
}

// absent are the known ids a full listing no longer names. An empty
// listing is never read as "everything was deleted": deleted events are
// listed (showDeleted), so a calendar that had events does not come back
// empty.
func absent(items []*calendar.Event, next *Cursor) []string {
	if len(items) == 0 {
		return nil
	}
	listed := make(map[string]bool, len(items))
	for _, ev := range items {
		listed[ev.Id] = true
	}
	var out []string
	for id := range next.Events {
		if !listed[id] {
			out = append(out, id)
			delete(next.Events, id)
		}
	}
	slices.Sort(out)
	return out
}
