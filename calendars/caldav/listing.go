package caldav

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// errNoSync: the server did not answer sync-collection; list by PROPFIND.
var errNoSync = errors.New("sync-collection not offered")

// maxPages bounds how often a truncated (507) sync-collection is continued.
const maxPages = 10000

// listing is what a sync-collection or PROPFIND said about the members of a
// collection: the whole collection (full) or the changes since a token.
type listing struct {
	full    bool
	entries map[string]entry // by href
	order   []string         // hrefs in the order the server gave them
	token   string           // sync token to continue from, "" in ctag mode
	ctag    string
}

type entry struct {
	etag string
	gone bool
}

func newListing(full bool) *listing {
	return &listing{full: full, entries: map[string]entry{}}
}

func (l *listing) add(href string, e entry) {
	if _, seen := l.entries[href]; !seen {
		l.order = append(l.order, href)
	}
	l.entries[href] = e
}

// live counts the objects a listing says exist.
func (l *listing) live() int {
	n := 0
	for _, e := range l.entries {
		if !e.gone {
			n++
		}
	}
	return n
}

// syncCollection runs an RFC 6578 sync-collection from token ("" = list all),
// following 507 truncation with the token each page returns.
func (f *feed) syncCollection(ctx context.Context, token string) (*listing, error) {
	l := newListing(token == "")
	for page := 0; page < maxPages; page++ {
		body := syncCollectionBody{xmlns: xmlnsAll, Token: token, Level: "1", Prop: props(pETag)}
		r, err := f.c.report(ctx, &f.m, f.coll, "0", body)
		if err != nil {
			return nil, err
		}
		if !is207(r) {
			return nil, f.syncFailed(r, token, page)
		}
		ms, err := parseMultistatus(r.body)
		if err != nil {
			return nil, fmt.Errorf("sync-collection: %w", err)
		}
		truncated, err := f.addResponses(l, r, ms)
		if err != nil {
			return nil, err
		}
		if ms.SyncToken == "" || (truncated && ms.SyncToken == token) {
			return nil, fmt.Errorf("sync-collection: the answer has no new sync token")
		}
		l.token = ms.SyncToken
		if !truncated {
			return l, nil
		}
		token = ms.SyncToken
	}
	return nil, fmt.Errorf("sync-collection: still truncated after %d pages", maxPages)
}

// syncFailed classifies a non-207 answer to sync-collection.
func (f *feed) syncFailed(r *response, token string, page int) error {
	err := f.c.statusError("REPORT", f.coll.String(), r)
	switch {
	case r.status == http.StatusUnauthorized:
		return err
	case r.status == http.StatusInsufficientStorage:
		// The whole answer refused as too large (RFC 6578 3.7,
		// DAV:number-of-matches-within-limits; sabre/dav with a result
		// limit): list by PROPFIND, which has no such limit.
		return fmt.Errorf("%w: %w", errNoSync, err)
	case token == "" && (r.status < 500 || r.status == http.StatusNotImplemented):
		return fmt.Errorf("%w: %w", errNoSync, err)
	case token == "":
		return err // the server is failing, not refusing the report
	case page > 0:
		return err
	case r.status == http.StatusForbidden && !isInvalidSyncToken(r.body):
		return err
	case r.status == http.StatusForbidden, r.status == http.StatusConflict,
		r.status == http.StatusBadRequest, r.status == http.StatusPreconditionFailed,
		r.status >= 500:
		// 403/409 valid-sync-token is RFC 6578; Xandikos answers 500, others 400 or 412.
		return fmt.Errorf("%w: %w", errInvalidToken, err)
	}
	return err
}

// addResponses adds the members of one multistatus to l and reports whether
// the server truncated it (507 on the collection itself).
func (f *feed) addResponses(l *listing, r *response, ms *multistatus) (bool, error) {
	self := pathKey(r.url) // the collection, after any redirect
	truncated := false
	for _, resp := range ms.Responses {
		for _, raw := range resp.Hrefs {
			href, u, err := f.c.hrefOf(raw, r.url)
			if err != nil {
				return false, fmt.Errorf("bad href %q in answer: %w", raw, err)
			}
			status := statusCode(resp.Status)
			if pathKey(u) == self {
				truncated = truncated || status == http.StatusInsufficientStorage
				continue
			}
			p := resp.found()
			if p.ResourceType != nil && p.ResourceType.Collection != nil {
				continue
			}
			switch {
			case status == http.StatusNotFound || status == http.StatusGone:
				l.add(href, entry{gone: true})
			case p.ETag != nil:
				l.add(href, entry{etag: *p.ETag})
			default:
				l.add(href, entry{}) // changed, etag unknown: fetch it
			}
		}
	}
	return truncated, nil
}

// listETags lists every member of the collection with its etag (PROPFIND
// Depth 1), along with the collection's ctag.
func (f *feed) listETags(ctx context.Context) (*listing, error) {
	ms, r, err := f.c.propfind(ctx, &f.m, f.coll, "1", pETag, pResourceType, pCTag)
	if err != nil {
		return nil, err
	}
	l := newListing(true)
	for _, resp := range ms.Responses {
		if len(resp.Hrefs) == 0 {
			continue
		}
		_, u, err := f.c.hrefOf(resp.Hrefs[0], r.url)
		if err == nil && pathKey(u) == pathKey(r.url) {
			if p := resp.found(); p.CTag != nil {
				l.ctag = *p.CTag
			}
		}
	}
	if _, err := f.addResponses(l, r, ms); err != nil {
		return nil, err
	}
	return l, nil
}

// ctag reads the collection's getctag (PROPFIND Depth 0); "" when the
// server has none.
func (f *feed) ctag(ctx context.Context) (string, error) {
	ms, _, err := f.c.propfind(ctx, &f.m, f.coll, "0", pCTag)
	if err != nil {
		return "", err
	}
	for _, resp := range ms.Responses {
		if p := resp.found(); p.CTag != nil {
			return *p.CTag, nil
		}
	}
	return "", nil
}

// sortedKeys returns the keys whose value is true, sorted.
func sortedKeys(m map[string]bool) []string {
	var keys []string
	for k, v := range m {
		if v {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
