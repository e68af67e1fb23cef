package caldav

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// fetch reads the given hrefs with calendar-multiget in batches. An href the
// server answers 404 for is returned as gone, never fails the batch; one the
// answer leaves out is read with a GET. An object too large to hold is
// returned as skipped, with why.
func (f *feed) fetch(ctx context.Context, hrefs []string, l *listing) (objs []Object, gone []string, skipped []Skipped, err error) {
	for start := 0; start < len(hrefs); start += f.c.opt.BatchSize {
		batch := hrefs[start:min(start+f.c.opt.BatchSize, len(hrefs))]
		o, g, s, err := f.fetchBatch(ctx, batch, l)
		if err != nil {
			return nil, nil, nil, err
		}
		objs, gone, skipped = append(objs, o...), append(gone, g...), append(skipped, s...)
	}
	return objs, gone, skipped, nil
}

// fetchBatch reads one batch; an answer too large to hold is asked again
// in halves, down to the one object that is too large.
func (f *feed) fetchBatch(ctx context.Context, batch []string, l *listing) (objs []Object, gone []string, skipped []Skipped, err error) {
	o, g, missing, err := f.multiget(ctx, batch, l)
	switch {
	case errors.Is(err, ErrTooLarge) && len(batch) > 1:
		half := len(batch) / 2
		o1, g1, s1, err := f.fetchBatch(ctx, batch[:half], l)
		if err != nil {
			return nil, nil, nil, err
		}
		o2, g2, s2, err := f.fetchBatch(ctx, batch[half:], l)
		return append(o1, o2...), append(g1, g2...), append(s1, s2...), err
	case errors.Is(err, ErrTooLarge):
		return nil, nil, []Skipped{f.tooLarge(batch[0])}, nil
	case err != nil:
		return nil, nil, nil, err
	}
	for _, href := range missing {
		obj, err := f.get(ctx, href)
		switch {
		case errors.Is(err, ErrNotFound):
			g = append(g, href)
		case errors.Is(err, ErrTooLarge):
			skipped = append(skipped, f.tooLarge(href))
		case err != nil:
			return nil, nil, nil, err
		default:
			o = append(o, obj)
		}
	}
	return o, g, skipped, nil
}

func (f *feed) tooLarge(href string) Skipped {
	return Skipped{Href: href, Reason: fmt.Sprintf("larger than %d bytes (the limit of one response); not read", f.c.opt.MaxResponseBytes)}
}

// multiget runs one calendar-multiget REPORT. It returns the objects read,
// the hrefs the server says do not exist, and those it did not answer for.
func (f *feed) multiget(ctx context.Context, batch []string, l *listing) (objs []Object, gone, missing []string, err error) {
	asked := make(map[string]string, len(batch)) // pathKey → href as we know it
	body := multigetBody{xmlns: xmlnsAll, Prop: props(pETag, pCalData)}
	for _, href := range batch {
		u, err := f.c.resolve(href)
		if err != nil {
			return nil, nil, nil, err
		}
		asked[pathKey(u)] = href
		body.Hrefs = append(body.Hrefs, f.requestHref(u))
	}
	r, err := f.c.report(ctx, &f.m, f.coll, "", body)
	if err != nil {
		return nil, nil, nil, err
	}
	if !is207(r) {
		return nil, nil, nil, f.c.statusError("REPORT", f.coll.String(), r)
	}
	ms, err := parseMultistatus(r.body)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("calendar-multiget: %w", err)
	}
	objs, gone, done := f.readMultiget(ms, r, asked, l)
	for _, href := range batch {
		if !done[href] {
			missing = append(missing, href)
		}
	}
	return objs, gone, missing, nil
}

// readMultiget sorts the answers for the hrefs asked for into objects and
// hrefs that are gone. An answer without data is neither.
func (f *feed) readMultiget(ms *multistatus, r *response, asked map[string]string, l *listing) (objs []Object, gone []string, done map[string]bool) {
	done = map[string]bool{}
	for _, resp := range ms.Responses {
		for _, raw := range resp.Hrefs {
			_, u, err := f.c.hrefOf(raw, r.url)
			href, ok := asked[pathKeyOrEmpty(u, err)]
			if !ok || done[href] {
				continue
			}
			switch p, status := resp.found(), statusCode(resp.Status); {
			case status == http.StatusNotFound || status == http.StatusGone:
				gone = append(gone, href)
			case p.CalendarData != nil:
				etag := etagOr(p.ETag, l.entries[href].etag)
				objs = append(objs, Object{Href: href, ETag: etag, Data: fixLineEndings(*p.CalendarData)})
			default:
				continue
			}
			done[href] = true
		}
	}
	return objs, gone, done
}

// requestHref is the form of an href inside a request to the collection's
// server: a path when it is on that server.
func (f *feed) requestHref(u *url.URL) string {
	if sameOrigin(u, f.coll) {
		return u.EscapedPath()
	}
	return u.String()
}

// get reads one object on its own, counting the request in this feed.
func (f *feed) get(ctx context.Context, href string) (Object, error) {
	obj, err := f.c.get(ctx, &f.m, href)
	obj.Href = href
	return obj, err
}

func pathKeyOrEmpty(u *url.URL, err error) string {
	if err != nil {
		return ""
	}
	return pathKey(u)
}

func etagOr(p *string, fallback string) string {
	if p != nil && *p != "" {
		return *p
	}
	return fallback
}
