package caldav

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
)

// Cursor is where the change feed of one collection stands. The caller
// persists it (as JSON) between syncs, and only after it has applied the
// Changes that came with it.
type Cursor struct {
	SyncToken string            `json:"sync_token,omitempty"`
	CTag      string            `json:"ctag,omitempty"`
	ETags     map[string]string `json:"etags,omitempty"` // href → etag of every object known
	// NoSync: the server refused sync-collection once; it is not asked again.
	NoSync bool `json:"no_sync,omitempty"`
}

// Known is what the caller learnt about the collection just now, from the
// properties discovery read: it saves asking again. Only pass what was read
// during this sync; a CTag or sync token from an earlier one would hide
// changes.
type Known struct {
	CTag      string // getctag, "" when not read
	SyncToken string // DAV:sync-token, "" when not read
	NoSync    bool   // the server said it has no sync-collection
}

// Changes is what happened in a collection since a Cursor.
type Changes struct {
	Updated []Object // new or changed objects, with data
	// Deleted lists the hrefs gone since the cursor, sorted. Only hrefs the
	// cursor knew are listed: an object created and removed between two syncs
	// is not.
	Deleted []string
	// Resynced: there was no usable incremental state (first sync, or the
	// server no longer knew the sync token), so the whole collection was
	// listed and reconciled with the cursor's ETags by href. (A ctag that
	// moved also leads to a full listing; that is the normal way of servers
	// without sync-collection and is not reported as a resync.)
	Resynced bool
	// Skipped are objects new or changed but too large to read
	// (Options.MaxResponseBytes); the cursor moves past them.
	Skipped  []Skipped
	Requests int   // HTTP requests this call made
	Bytes    int64 // response bytes read
	// Moved: the collection answered from another URL (a redirect); the
	// caller should find its calendars again.
	Moved bool
}

// Skipped is an object that was not read, and why.
type Skipped struct {
	Href   string
	Reason string
}

// errInvalidToken marks a sync token the server no longer accepts.
var errInvalidToken = errors.New("sync token not accepted")

// feed is the state of one Changes call.
type feed struct {
	c    *Client
	coll *url.URL
	cur  Cursor
	hint Known
	m    meter
}

// Changes returns what changed in the collection since cur, and the cursor to
// store once the caller has applied them. With a sync token it asks for the
// changes since (RFC 6578); with a ctag it first checks whether the ctag
// moved; with neither it lists the whole collection. An idle poll costs one
// request. A 507 (truncated) answer is continued, never read as deletions;
// a full listing that comes back empty when objects were known is read a
// second time before anything is reported deleted.
func (c *Client) Changes(ctx context.Context, collectionURL string, cur Cursor) (Changes, Cursor, error) {
	return c.ChangesKnown(ctx, collectionURL, cur, Known{})
}

// ChangesKnown is Changes with what discovery just read about the
// collection: a sync token or ctag equal to the cursor's means nothing
// changed (no request at all), and a server without sync-collection is
// listed by PROPFIND without being asked for it first.
func (c *Client) ChangesKnown(ctx context.Context, collectionURL string, cur Cursor, known Known) (Changes, Cursor, error) {
	u, err := c.resolve(collectionURL)
	if err != nil {
		return Changes{}, cur, err
	}
	f := &feed{c: c, coll: u, cur: cur, hint: known}
	ch, next, err := f.run(ctx)
	ch.Requests, ch.Bytes, ch.Moved = f.m.requests, f.m.bytes, f.m.redirected
	next.NoSync = next.NoSync || cur.NoSync || known.NoSync
	if err != nil {
		return ch, cur, fmt.Errorf("caldav: changes %s: %w", Redact(u.String()), err)
	}
	return ch, next, nil
}

func (f *feed) run(ctx context.Context) (Changes, Cursor, error) {
	if f.cur.SyncToken != "" && f.hint.SyncToken == f.cur.SyncToken {
		return Changes{}, f.cur, nil
	}
	if f.cur.SyncToken != "" {
		l, err := f.syncCollection(ctx, f.cur.SyncToken)
		if err == nil {
			return f.apply(ctx, l, false)
		}
		if errors.Is(err, errNoSync) {
			f.cur.NoSync = true
		} else if !errors.Is(err, errInvalidToken) {
			return Changes{}, f.cur, err
		}
		return f.resync(ctx)
	}
	if f.cur.CTag != "" {
		ctag, err := f.knownOrCTag(ctx)
		if err != nil {
			return Changes{}, f.cur, err
		}
		if ctag == f.cur.CTag {
			return Changes{}, f.cur, nil
		}
		l, err := f.confirmed(ctx, f.listETags)
		if err != nil {
			return Changes{}, f.cur, err
		}
		return f.apply(ctx, l, false)
	}
	return f.resync(ctx)
}

// resync lists the whole collection: by sync-collection with an empty token
// where the server offers it, else by PROPFIND.
// A server that said it has no sync-collection (in discovery, or by
// refusing it once) is not asked.
func (f *feed) resync(ctx context.Context) (Changes, Cursor, error) {
	noSync := f.cur.NoSync || f.hint.NoSync
	var l *listing
	err := errNoSync
	if !noSync {
		l, err = f.confirmed(ctx, func(ctx context.Context) (*listing, error) {
			return f.syncCollection(ctx, "")
		})
	}
	if errors.Is(err, errNoSync) {
		noSync = true
		l, err = f.confirmed(ctx, f.listETags)
	}
	if err != nil {
		return Changes{}, f.cur, err
	}
	ch, next, err := f.apply(ctx, l, true)
	next.NoSync = noSync
	return ch, next, err
}

// knownOrCTag is the ctag discovery just read, else the server's.
func (f *feed) knownOrCTag(ctx context.Context) (string, error) {
	if f.hint.CTag != "" {
		return f.hint.CTag, nil
	}
	return f.ctag(ctx)
}

// confirmed runs a full listing and, when it is empty although objects were
// known, runs it once more: a server that briefly answers with an empty
// collection must not make every object look deleted.
func (f *feed) confirmed(ctx context.Context, list func(context.Context) (*listing, error)) (*listing, error) {
	l, err := list(ctx)
	if err != nil || l.live() > 0 || len(f.cur.ETags) == 0 {
		return l, err
	}
	return list(ctx)
}

// apply turns a listing into Changes: it fetches what is new or changed,
// works out what is gone, and builds the next cursor.
func (f *feed) apply(ctx context.Context, l *listing, resynced bool) (Changes, Cursor, error) {
	etags, fetch, deleted := f.diff(l)
	objs, gone, skipped, err := f.fetch(ctx, fetch, l)
	if err != nil {
		return Changes{}, f.cur, err
	}
	for _, o := range objs {
		etags[o.Href] = o.ETag
	}
	for _, href := range gone {
		delete(etags, href)
		deleted[href] = f.known(href)
	}
	ch := Changes{Updated: objs, Deleted: sortedKeys(deleted), Skipped: skipped, Resynced: resynced}
	return ch, Cursor{SyncToken: l.token, CTag: l.ctag, ETags: etags}, nil
}

// diff compares a listing with the cursor. It returns the etags the listing
// implies, the hrefs to fetch (new, changed, or of unknown etag) and those
// gone (true when the cursor knew them). A full listing reconciles by href:
// what the cursor knew and the listing lacks is gone.
func (f *feed) diff(l *listing) (etags map[string]string, fetch []string, deleted map[string]bool) {
	etags, deleted = map[string]string{}, map[string]bool{}
	if !l.full {
		maps.Copy(etags, f.cur.ETags)
	}
	for _, href := range l.order {
		e := l.entries[href]
		if e.gone {
			delete(etags, href)
			deleted[href] = f.known(href)
			continue
		}
		etags[href] = e.etag
		if e.etag == "" || e.etag != f.cur.ETags[href] {
			fetch = append(fetch, href)
		}
	}
	if l.full {
		for href := range f.cur.ETags {
			if _, listed := etags[href]; !listed {
				deleted[href] = true
			}
		}
	}
	return etags, fetch, deleted
}

func (f *feed) known(href string) bool {
	_, ok := f.cur.ETags[href]
	return ok
}
