package caldav

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Object is one calendar object resource as the server holds it.
type Object struct {
	Href string // absolute path (full URL when on another host than the client's)
	ETag string // exactly as the server sent it, quotes included; give it back to Put
	Data []byte // iCalendar
	// ScheduleTag is the Schedule-Tag a GET answered with: the server
	// does RFC 6638 scheduling for this resource (see ServerSchedules).
	ScheduleTag string
}

// Get reads one calendar object.
func (c *Client) Get(ctx context.Context, href string) (Object, error) {
	obj, err := c.get(ctx, nil, href)
	if err != nil || obj.ETag != "" {
		return obj, err
	}
	u, err := c.resolve(href)
	if err != nil {
		return Object{}, err
	}
	if obj.ETag, err = c.propETag(ctx, nil, u); err != nil {
		return Object{}, fmt.Errorf("caldav: get %s: %w", href, err)
	}
	return obj, nil
}

func (c *Client) get(ctx context.Context, m *meter, href string) (Object, error) {
	u, err := c.resolve(href)
	if err != nil {
		return Object{}, err
	}
	r, err := c.do(ctx, m, http.MethodGet, u, header("Accept", "text/calendar"), nil)
	if err != nil {
		return Object{}, err
	}
	if r.status != http.StatusOK {
		return Object{}, c.statusError(http.MethodGet, u.String(), r)
	}
	h, _, err := c.hrefOf(u.String(), u)
	if err != nil {
		return Object{}, err
	}
	return Object{Href: h, ETag: r.header.Get("ETag"), Data: r.body, ScheduleTag: r.header.Get("Schedule-Tag")}, nil
}

// Put writes data at href. ifMatch is the ETag the caller read; the write
// then only happens if nobody changed the object since (If-Match). An empty
// ifMatch creates the object only if nothing is at href yet (If-None-Match: *).
// Both failures are ErrPreconditionFailed. Put returns the new ETag.
func (c *Client) Put(ctx context.Context, href string, data []byte, ifMatch string) (string, error) {
	u, err := c.resolve(href)
	if err != nil {
		return "", err
	}
	h := header("Content-Type", "text/calendar; charset=utf-8")
	if ifMatch != "" {
		h.Set("If-Match", quoteETag(ifMatch))
	} else {
		h.Set("If-None-Match", "*")
	}
	r, err := c.do(ctx, nil, http.MethodPut, u, h, data)
	if err != nil {
		return "", err
	}
	switch r.status {
	case http.StatusOK, http.StatusCreated, http.StatusNoContent:
	default:
		return "", c.statusError(http.MethodPut, u.String(), r)
	}
	if etag := r.header.Get("ETag"); etag != "" {
		return etag, nil
	}
	// No ETag: the server may have changed what it stored (RFC 4791 5.3.4).
	etag, err := c.propETag(ctx, nil, u)
	if err != nil {
		return "", fmt.Errorf("caldav: put %s: written, but reading the new etag: %w", href, err)
	}
	return etag, nil
}

// Delete removes the object at href; with ifMatch only if it is unchanged.
func (c *Client) Delete(ctx context.Context, href, ifMatch string) error {
	u, err := c.resolve(href)
	if err != nil {
		return err
	}
	h := http.Header{}
	if ifMatch != "" {
		h.Set("If-Match", quoteETag(ifMatch))
	}
	r, err := c.do(ctx, nil, http.MethodDelete, u, h, nil)
	if err != nil {
		return err
	}
	switch r.status {
	case http.StatusOK, http.StatusAccepted, http.StatusNoContent:
		return nil
	}
	return c.statusError(http.MethodDelete, u.String(), r)
}

// propETag reads the getetag property of one resource, falling back to the
// ETag header of a GET for servers that do not list it.
func (c *Client) propETag(ctx context.Context, m *meter, u *url.URL) (string, error) {
	ms, _, err := c.propfind(ctx, m, u, "0", pETag)
	if err == nil {
		for _, resp := range ms.Responses {
			if p := resp.found(); p.ETag != nil && *p.ETag != "" {
				return *p.ETag, nil
			}
		}
	}
	r, err := c.do(ctx, m, http.MethodGet, u, nil, nil)
	if err != nil {
		return "", err
	}
	if r.status != http.StatusOK {
		return "", c.statusError(http.MethodGet, u.String(), r)
	}
	return r.header.Get("ETag"), nil
}
