package microsoft365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/webapi"
)

const (
	// maxPages guards against a delta that never ends.
	maxPages = 10000
	// maxMasters bounds the series masters read in one sync.
	maxMasters = 2000
	// windowSlack is how far the sync window may run ahead of a delta
	// link's before the window is read again.
	windowSlack = 7 * 24 * time.Hour
)

// Object is one Graph event as iCalendar: Href is the event id.
type Object = webapi.Object

// Changes is what changed in a calendar since a cursor.
type Changes = webapi.Changes

// Changes reads what changed in user's calendar between from and to
// since cur: calendarView/delta from the cursor's delta link, every
// page, up to a new delta link. Without a link, when the window moved on,
// or when Graph answers 410 (the delta token expired), the whole window
// is read and reconciled by event id with what cur knows. Each series
// touched is read once (GET of its master: delta returns occurrences
// with ids and times only) and handed over as a master with its
// exceptions and deleted occurrences. On error the returned cursor is
// cur.
func (c *Client) Changes(ctx context.Context, user string, cur Cursor, from, to time.Time) (Changes, Cursor, error) {
	m := &webapi.Meter{}
	ctx = webapi.WithMeter(ctx, m)
	ch, next, err := c.changes(ctx, user, cur, from, to)
	ch.Requests, ch.Bytes = int(m.Requests.Load()), m.Bytes.Load()
	if err != nil {
		return ch, cur, fmt.Errorf("microsoft365: changes of %s: %w%s", user, err, advice(err))
	}
	return ch, next, nil
}

// advice says what to do about a refusal that no retry fixes.
func advice(err error) string {
	switch {
	case isStatus(err, http.StatusForbidden):
		return " (grant the app the application permission Calendars.ReadWrite with admin consent, and check that no application access policy leaves this mailbox out)"
	case isStatus(err, http.StatusNotFound):
		return " (check user: a userPrincipalName or object id with an Exchange Online mailbox)"
	}
	return ""
}

func (c *Client) changes(ctx context.Context, user string, cur Cursor, from, to time.Time) (Changes, Cursor, error) {
	if cur.User != user {
		cur = Cursor{User: user}
	}
	full := cur.DeltaLink == "" || to.After(cur.To.Add(windowSlack))
	link := cur.DeltaLink
	if full {
		link = c.deltaURL(user, from, to)
	}
	items, delta, err := c.delta(ctx, link)
	if err != nil && !full && isGone(err) {
		c.log.Info("microsoft365: delta token expired; reading the whole window", "code", apiError(err).Code)
		full = true
		items, delta, err = c.delta(ctx, c.deltaURL(user, from, to))
	}
	if err != nil {
		return Changes{}, cur, err
	}
	next := cur.clone()
	next.DeltaLink = delta
	if full {
		next.From, next.To = from, to
	}
	b := newBatch(next)
	b.add(items)
	if full {
		b.reconcile(items, from, to)
	}
	ch := Changes{Resynced: full}
	if err := c.resolve(ctx, user, b, &ch); err != nil {
		return ch, cur, err
	}
	return ch, b.next, nil
}

// deltaURL starts a calendarView delta over [from, to).
func (c *Client) deltaURL(user string, from, to time.Time) string {
	q := url.Values{"startDateTime": {from.UTC().Format(time.RFC3339)}, "endDateTime": {to.UTC().Format(time.RFC3339)}}
	return c.userPath(user) + "calendarView/delta?" + q.Encode()
}

// delta follows nextLinks from link to the deltaLink, collecting items.
func (c *Client) delta(ctx context.Context, link string) ([]event, string, error) {
	var items []event
	prefer := append([]string{"odata.maxpagesize=" + strconv.Itoa(c.opt.PageSize)}, preferRead...)
	for range maxPages {
		var p page
		if err := c.do(ctx, request{method: http.MethodGet, url: link, prefer: prefer}, &p); err != nil {
			return nil, "", err
		}
		items = append(items, p.Value...)
		switch {
		case p.NextLink != "":
			link = p.NextLink
		case p.DeltaLink != "":
			return items, p.DeltaLink, nil
		default:
			return nil, "", errors.New("a delta page without @odata.nextLink or @odata.deltaLink")
		}
	}
	return nil, "", fmt.Errorf("more than %d delta pages", maxPages)
}

// getEvent reads one event of user (a series master, an exception).
func (c *Client) getEvent(ctx context.Context, user, id string) (*event, error) {
	var ev event
	err := c.do(ctx, request{method: http.MethodGet, url: c.userPath(user) + "events/" + url.PathEscape(id), prefer: preferRead}, &ev)
	if err != nil {
		return nil, err
	}
	return &ev, nil
}

// resolve reads each touched master and turns the batch into objects
// and deletions.
func (c *Client) resolve(ctx context.Context, user string, b *batch, ch *Changes) error {
	if len(b.masters) > maxMasters {
		return fmt.Errorf("%d series changed, more than the %d read in one sync", len(b.masters), maxMasters)
	}
	for _, m := range b.masters {
		master, err := c.getEvent(ctx, user, m)
		switch {
		case isStatus(err, http.StatusNotFound) || isGone(err):
			ch.Deleted = append(ch.Deleted, b.deleteSeries(m)...)
			continue
		case err != nil:
			return fmt.Errorf("series master %s: %w", m, err)
		}
		if err := c.series(ctx, user, master, b, ch); err != nil {
			return fmt.Errorf("series %s: %w", m, err)
		}
	}
	return nil
}

// series hands over one master and what the batch says of its
// instances. A series or exception that cannot be rendered is logged and
// skipped; a failed read fails the sync (the cursor stays).
func (c *Client) series(ctx context.Context, user string, master *event, b *batch, ch *Changes) error {
	data, err := renderMaster(master, user)
	if err != nil {
		c.log.Warn("microsoft365: series skipped", "event", master.ID, "err", err)
		return nil
	}
	b.next.Masters[master.ID] = master.ICalUID
	ch.Updated = append(ch.Updated, Object{Href: master.ID, ETag: master.ETag, Data: data})
	inPattern := patternOf(master.ID, data)
	for _, id := range b.instancesOf(master.ID) {
		in := b.next.Instances[id]
		ex, err := c.exception(ctx, user, id, b)
		switch {
		case err != nil:
			return err
		case ex == nil && b.removed[id] && !inPattern(in.Start):
			// The series has a new pattern (moved as a whole): its old
			// occurrences and exceptions are gone, not cancelled.
			if in.Object {
				ch.Deleted = append(ch.Deleted, id)
			}
			delete(b.next.Instances, id)
			continue
		case ex == nil && b.removed[id]:
			in.Object = true
			data := renderCancelled(master, in.Start)
			if !master.IsOrganizer {
				data = renderDeclined(master, in.Start, user)
			}
			ch.Updated = append(ch.Updated, Object{Href: id, Data: data})
		case ex != nil:
			d, err := renderException(ex, master, user)
			if err != nil {
				c.log.Warn("microsoft365: exception skipped", "event", id, "err", err)
				continue
			}
			in.Object = true
			ch.Updated = append(ch.Updated, Object{Href: id, ETag: ex.ETag, Data: d})
		case in.Object:
			// An exception back to a plain occurrence: the rule covers it.
			in.Object = false
			ch.Deleted = append(ch.Deleted, id)
		}
		b.next.Instances[id] = in
	}
	return nil
}

// patternOf says whether the series rendered in data has an occurrence
// originally at a time; when it cannot tell, every time is in it.
func patternOf(href string, data []byte) func(time.Time) bool {
	series, _ := calendars.ReadICS([]calendars.File{{Name: href, Data: data}}, calendars.ReadOptions{})
	if len(series) != 1 {
		return func(time.Time) bool { return true }
	}
	return func(t time.Time) bool {
		for _, o := range series[0].Expand(t.Add(-time.Minute), t.Add(time.Minute)) {
			if o.Key.Equal(t) {
				return true
			}
		}
		return false
	}
}

// exception is the full event of an instance with news: an exception as
// listed (read again when delta gave only ids and times), or a removed
// instance read to tell a deletion (nil) from a move out of the window.
func (c *Client) exception(ctx context.Context, user, id string, b *batch) (*event, error) {
	ex := b.exceptions[id]
	if !b.removed[id] && (ex == nil || !sparse(ex)) {
		return ex, nil
	}
	full, err := c.getEvent(ctx, user, id)
	switch {
	case isStatus(err, http.StatusNotFound) || isGone(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("event %s: %w", id, err)
	case b.removed[id] && full.IsCancelled:
		return nil, nil
	}
	if full.OriginalStart == "" && ex != nil {
		full.OriginalStart = ex.OriginalStart
	}
	return full, nil
}
