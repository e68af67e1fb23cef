package caldav

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// Calendar is a calendar collection found by Discover.
type Calendar struct {
	URL          string `json:"url"` // full URL; may be on another host than the one configured
	Name         string `json:"name"`
	Color        string `json:"color,omitempty"`
	SupportsSync bool   `json:"supports_sync,omitempty"` // RFC 6578 sync-collection is offered
	// NoSync: the server listed its reports (supported-report-set) without
	// sync-collection and has no sync-token, so it is not asked for one.
	NoSync bool `json:"no_sync,omitempty"`
	// CTag and SyncToken are what discovery just read; they are not kept
	// with a stored discovery (see Known).
	CTag      string `json:"-"`
	SyncToken string `json:"-"`
}

// Known is what discovery read about the calendar, for ChangesKnown.
func (c Calendar) Known() Known {
	return Known{CTag: c.CTag, SyncToken: c.SyncToken, NoSync: c.NoSync}
}

var discoverProps = []string{
	pResourceType, pDisplayName, pColor, pCTag, pSyncToken, pReportSet,
	pComponents, pPrincipal, pHomeSet,
}

// Discover finds the calendars behind the client's URL. A calendar collection
// URL returns just that calendar. Otherwise it follows
// current-user-principal to calendar-home-set (which may be on another host)
// and lists the calendar collections there that hold events. A bare server
// root is first tried through /.well-known/caldav (RFC 6764).
func (c *Client) Discover(ctx context.Context) ([]Calendar, error) {
	ms, r, err := c.discoverStart(ctx)
	if err != nil {
		return nil, fmt.Errorf("caldav: discover %s: %w", Redact(c.base.String()), err)
	}
	if len(ms.Responses) == 0 {
		return nil, fmt.Errorf("caldav: discover %s: empty answer", Redact(c.base.String()))
	}
	first := ms.Responses[0]
	if cal, ok := c.calendarFrom(first, r.url, true); ok {
		return []Calendar{cal}, nil
	}
	homes, err := c.homes(ctx, first.found(), r.url)
	if err != nil {
		return nil, fmt.Errorf("caldav: discover %s: %w", Redact(c.base.String()), err)
	}
	var cals []Calendar
	for _, home := range homes {
		found, err := c.listCalendars(ctx, home)
		if err != nil {
			return nil, fmt.Errorf("caldav: discover %s: calendar home %s: %w", Redact(c.base.String()), Redact(home.String()), err)
		}
		cals = append(cals, found...)
	}
	return cals, nil
}

// discoverStart reads the configured URL, or for a bare server root the
// well-known URL first (do follows its redirect with the same method).
func (c *Client) discoverStart(ctx context.Context) (*multistatus, *response, error) {
	if c.base.Path == "" || c.base.Path == "/" {
		wk := c.base.ResolveReference(&url.URL{Path: "/.well-known/caldav"})
		ms, r, err := c.propfind(ctx, nil, wk, "0", discoverProps...)
		if err == nil || errors.Is(err, ErrUnauthorized) {
			return ms, r, err
		}
	}
	return c.propfind(ctx, nil, c.base, "0", discoverProps...)
}

// homes returns the calendar home URLs: from the props read already, else
// from the principal they name, else the URL itself.
func (c *Client) homes(ctx context.Context, p prop, at *url.URL) ([]*url.URL, error) {
	if p.HomeSet == nil && p.Principal != nil && len(p.Principal.Hrefs) > 0 {
		_, principal, err := c.hrefOf(p.Principal.Hrefs[0], at)
		if err != nil {
			return nil, fmt.Errorf("bad principal href: %w", err)
		}
		ms, r, err := c.propfind(ctx, nil, principal, "0", pHomeSet)
		if err != nil {
			return nil, fmt.Errorf("principal %s: %w", Redact(principal.String()), err)
		}
		p, at = prop{}, r.url
		for _, resp := range ms.Responses {
			mergeProp(&p, resp.found())
		}
		if p.HomeSet == nil {
			return nil, fmt.Errorf("principal %s names no calendar-home-set: configure the calendar's URL instead", Redact(principal.String()))
		}
	}
	if p.HomeSet == nil {
		return []*url.URL{at}, nil
	}
	var homes []*url.URL
	for _, h := range p.HomeSet.Hrefs {
		_, u, err := c.hrefOf(h, at)
		if err != nil {
			return nil, fmt.Errorf("bad calendar-home-set href %q: %w", h, err)
		}
		homes = append(homes, u)
	}
	return homes, nil
}

// listCalendars lists the event calendars directly inside a home.
func (c *Client) listCalendars(ctx context.Context, home *url.URL) ([]Calendar, error) {
	ms, r, err := c.propfind(ctx, nil, home, "1", discoverProps...)
	if err != nil {
		return nil, err
	}
	var cals []Calendar
	for _, resp := range ms.Responses {
		if cal, ok := c.calendarFrom(resp, r.url, false); ok {
			cals = append(cals, cal)
		}
	}
	return cals, nil
}

// calendarFrom reads a calendar collection from a PROPFIND answer. Unless explicit
// is set, a calendar that declares components without VEVENT (a task list)
// is skipped.
func (c *Client) calendarFrom(resp msResponse, at *url.URL, explicit bool) (Calendar, bool) {
	p := resp.found()
	if len(resp.Hrefs) == 0 || p.ResourceType == nil || p.ResourceType.Calendar == nil {
		return Calendar{}, false
	}
	if !explicit && p.Components != nil && len(p.Components.Comps) > 0 && !hasEvents(p.Components) {
		return Calendar{}, false
	}
	_, u, err := c.hrefOf(resp.Hrefs[0], at)
	if err != nil {
		return Calendar{}, false
	}
	cal := Calendar{URL: u.String(), Name: path.Base(strings.TrimSuffix(u.Path, "/"))}
	if p.DisplayName != nil && strings.TrimSpace(*p.DisplayName) != "" {
		cal.Name = strings.TrimSpace(*p.DisplayName)
	}
	if p.Color != nil {
		cal.Color = strings.TrimSpace(*p.Color)
	}
	if p.CTag != nil {
		cal.CTag = *p.CTag
	}
	if p.SyncToken != nil {
		cal.SyncToken = strings.TrimSpace(*p.SyncToken)
	}
	listed := p.ReportSet != nil && p.ReportSet.has(nsDAV, "sync-collection")
	cal.SupportsSync = listed || cal.SyncToken != ""
	cal.NoSync = p.ReportSet != nil && !cal.SupportsSync
	return cal, true
}

func hasEvents(s *componentSet) bool {
	for _, comp := range s.Comps {
		if strings.EqualFold(comp.Name, "VEVENT") {
			return true
		}
	}
	return false
}
