package caldavfs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav"
	"github.com/emersion/go-webdav/caldav"
)

// kind is what a request path names.
type kind int

const (
	kindNone kind = iota
	kindRoot
	kindHome // the principal, which is also the calendar home
	kindCalendar
	kindObject
)

// target is a parsed request path.
type target struct {
	kind kind
	cal  string // for kindCalendar and kindObject
	name string // object name without .ics
}

// resolve parses /<user>/<calendar>/<name>.ics and its prefixes. Paths of
// another user or with names the store cannot hold are kindNone.
func (s *Server) resolve(p string) target {
	p = path.Clean("/" + p)
	if p == "/" {
		return target{kind: kindRoot}
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if parts[0] != s.user || len(parts) > 3 {
		return target{}
	}
	if len(parts) == 1 {
		return target{kind: kindHome}
	}
	if !validName(parts[1]) {
		return target{}
	}
	if len(parts) == 2 {
		return target{kind: kindCalendar, cal: parts[1]}
	}
	name, ok := strings.CutSuffix(parts[2], ".ics")
	if !ok || !validName(name) {
		return target{}
	}
	return target{kind: kindObject, cal: parts[1], name: name}
}

func (s *Server) homePath() string          { return "/" + s.user + "/" }
func (s *Server) calPath(cal string) string { return s.homePath() + cal + "/" }
func (s *Server) objPath(cal, name string) string {
	return s.calPath(cal) + name + ".ics"
}

// backend is the caldav.Backend go-webdav's handler calls for PUT, DELETE
// and calendar-query. It keeps the bytes a client PUT (passed through the
// request context by Server.ServeHTTP), not go-ical's re-encoding of them.
type backend struct{ s *Server }

var _ caldav.Backend = backend{}

type ctxKey int

const (
	rawBodyKey ctxKey = iota // []byte: the body of a PUT
	ifMatchKey               // string: If-Match of a DELETE
	queryKey                 // *queryHits: where calendar-query matches go
)

func (b backend) CurrentUserPrincipal(context.Context) (string, error) {
	return b.s.homePath(), nil
}

func (b backend) CalendarHomeSetPath(context.Context) (string, error) {
	return b.s.homePath(), nil
}

func (b backend) CreateCalendar(_ context.Context, c *caldav.Calendar) error {
	t := b.s.resolve(c.Path)
	if t.kind != kindCalendar {
		return webdav.NewHTTPError(http.StatusForbidden, errors.New("calendars are created as /<user>/<name>/"))
	}
	return httpError(b.s.store.makeCalendar(t.cal))
}

func (b backend) ListCalendars(context.Context) ([]caldav.Calendar, error) {
	var out []caldav.Calendar
	for _, c := range b.s.store.calendars() {
		out = append(out, b.s.calendar(c))
	}
	return out, nil
}

func (b backend) GetCalendar(_ context.Context, p string) (*caldav.Calendar, error) {
	t := b.s.resolve(p)
	if t.kind != kindCalendar || !b.s.store.hasCalendar(t.cal) {
		return nil, webdav.NewHTTPError(http.StatusNotFound, ErrNotFound)
	}
	c := b.s.calendar(t.cal)
	return &c, nil
}

func (s *Server) calendar(cal string) caldav.Calendar {
	return caldav.Calendar{Path: s.calPath(cal), Name: cal, SupportedComponentSet: components}
}

// components is what a calendar declares it holds.
var components = []string{ical.CompEvent, ical.CompToDo}

func (b backend) GetCalendarObject(_ context.Context, p string, _ *caldav.CalendarCompRequest) (*caldav.CalendarObject, error) {
	t := b.s.resolve(p)
	if t.kind != kindObject {
		return nil, webdav.NewHTTPError(http.StatusNotFound, ErrNotFound)
	}
	data, m, err := b.s.store.get(t.cal, t.name)
	if err != nil {
		return nil, httpError(err)
	}
	cal, err := parseICS(data)
	if err != nil {
		return nil, webdav.NewHTTPError(http.StatusInternalServerError, fmt.Errorf("stored object %s: %w", p, err))
	}
	return &caldav.CalendarObject{Path: b.s.objPath(t.cal, t.name), ModTime: m.mod, ContentLength: m.size, ETag: m.etag, Data: cal}, nil
}

func (b backend) ListCalendarObjects(_ context.Context, p string, _ *caldav.CalendarCompRequest) ([]caldav.CalendarObject, error) {
	t := b.s.resolve(p)
	if t.kind != kindCalendar {
		return nil, webdav.NewHTTPError(http.StatusNotFound, ErrNotFound)
	}
	entries, _, err := b.s.store.list(t.cal)
	if err != nil {
		return nil, httpError(err)
	}
	var out []caldav.CalendarObject
	for _, e := range entries {
		data, m, err := b.s.store.get(t.cal, e.name)
		if err != nil {
			continue // deleted meanwhile
		}
		cal, err := parseICS(data)
		if err != nil {
			continue // not queryable; still listed and served by PROPFIND and GET
		}
		out = append(out, caldav.CalendarObject{Path: b.s.objPath(t.cal, e.name), ModTime: m.mod, ContentLength: m.size, ETag: m.etag, Data: cal})
	}
	return out, nil
}

// QueryCalendarObjects runs go-webdav's matcher on each object. An object
// it cannot evaluate (an unknown TZID, say) is returned rather than hidden.
// Under Server.query the matches are recorded and none are returned.
func (b backend) QueryCalendarObjects(ctx context.Context, p string, q *caldav.CalendarQuery) ([]caldav.CalendarObject, error) {
	all, err := b.ListCalendarObjects(ctx, p, &q.CompRequest)
	if err != nil {
		return nil, err
	}
	var out []caldav.CalendarObject
	for _, co := range all {
		if ok, err := matches(q, &co); ok || err != nil {
			out = append(out, co)
		}
	}
	if hits, _ := ctx.Value(queryKey).(*queryHits); hits != nil {
		for _, co := range out {
			hits.paths = append(hits.paths, co.Path)
		}
		return nil, nil
	}
	return out, nil
}

func matches(q *caldav.CalendarQuery, co *caldav.CalendarObject) (ok bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			ok, err = false, fmt.Errorf("calendar-query: %v", v)
		}
	}()
	return caldav.Match(q.CompFilter, co)
}

func (b backend) PutCalendarObject(ctx context.Context, p string, cal *ical.Calendar, opts *caldav.PutCalendarObjectOptions) (*caldav.CalendarObject, error) {
	t := b.s.resolve(p)
	if t.kind != kindObject {
		return nil, webdav.NewHTTPError(http.StatusMethodNotAllowed, errors.New("objects are written as /<user>/<calendar>/<name>.ics"))
	}
	raw, _ := ctx.Value(rawBodyKey).([]byte)
	if raw == nil {
		var buf bytes.Buffer
		if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
			return nil, webdav.NewHTTPError(http.StatusBadRequest, err)
		}
		raw = buf.Bytes()
	}
	if err := validate(cal); err != nil {
		return nil, webdav.NewHTTPError(http.StatusBadRequest, err)
	}
	if !b.s.store.hasCalendar(t.cal) {
		return nil, webdav.NewHTTPError(http.StatusConflict, fmt.Errorf("no calendar %q", t.cal))
	}
	m, _, err := b.s.store.put(t.cal, t.name, raw, uidOf(cal), string(opts.IfMatch), string(opts.IfNoneMatch))
	if err != nil {
		return nil, httpError(err)
	}
	return &caldav.CalendarObject{Path: b.s.objPath(t.cal, t.name), ModTime: m.mod, ContentLength: m.size, ETag: m.etag}, nil
}

func (b backend) DeleteCalendarObject(ctx context.Context, p string) error {
	t := b.s.resolve(p)
	if t.kind != kindObject {
		return webdav.NewHTTPError(http.StatusMethodNotAllowed, errors.New("only calendar objects can be deleted"))
	}
	ifMatch, _ := ctx.Value(ifMatchKey).(string)
	return httpError(b.s.store.remove(t.cal, t.name, ifMatch))
}

// httpError gives a store error the status go-webdav should answer with.
func httpError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotFound):
		return webdav.NewHTTPError(http.StatusNotFound, err)
	case errors.Is(err, ErrPreconditionFailed):
		return webdav.NewHTTPError(http.StatusPreconditionFailed, err)
	case errors.Is(err, errExists):
		return webdav.NewHTTPError(http.StatusMethodNotAllowed, err)
	case errors.Is(err, errUIDConflict):
		return caldav.NewPreconditionError(caldav.PreconditionNoUIDConflict)
	}
	return webdav.NewHTTPError(http.StatusInternalServerError, err)
}
