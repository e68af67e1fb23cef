// Package store holds the sync engine's SQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrNoCopy: no watched calendar holds the series.
var ErrNoCopy = errors.New("sync store: no stored copy of the series")

// Agenda is the SQL behind the agenda writers: which stored copies of a
// series exist, and keeping the copy a write left.
type Agenda struct{ DB *sql.DB }

// Resource is one stored calendar resource holding a copy of a series.
type Resource struct {
	CalendarID int64
	Calendar   string // config name
	Kind       string // caldav | google
	Owner      string // as configured, "" when unknown
	Href       string
	Data       []byte
}

// WritableCalendar returns the calendar of the series' writable copy
// (series.calendar_id): its id, name and kind. ErrNoCopy when the series
// is unknown.
func (a Agenda) WritableCalendar(ctx context.Context, uid string) (r Resource, err error) {
	err = a.DB.QueryRowContext(ctx, `SELECT s.calendar_id, c.name, c.kind FROM series s JOIN calendars c ON c.id = s.calendar_id
		WHERE s.uid = ?`, uid).Scan(&r.CalendarID, &r.Calendar, &r.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNoCopy
	}
	if err != nil {
		return r, fmt.Errorf("load series: %w", err)
	}
	return r, nil
}

// ResourcesIn lists the resources of the series uid in one calendar, by
// href (only Href and Data are set).
func (a Agenda) ResourcesIn(ctx context.Context, calendarID int64, uid string) ([]Resource, error) {
	rows, err := a.DB.QueryContext(ctx, `SELECT href, data FROM calendar_objects WHERE calendar_id = ? AND uid = ? ORDER BY href`, calendarID, uid)
	if err != nil {
		return nil, fmt.Errorf("load copy: %w", err)
	}
	defer rows.Close()
	var out []Resource
	for rows.Next() {
		r := Resource{CalendarID: calendarID}
		if err := rows.Scan(&r.Href, &r.Data); err != nil {
			return nil, fmt.Errorf("load copy: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load copy: %w", err)
	}
	return out, nil
}

// Copies lists every stored resource of the series uid in any watched
// calendar, by calendar name and href.
func (a Agenda) Copies(ctx context.Context, uid string) ([]Resource, error) {
	rows, err := a.DB.QueryContext(ctx, `SELECT o.calendar_id, c.name, c.kind, c.owner, o.href, o.data
		FROM calendar_objects o JOIN calendars c ON c.id = o.calendar_id WHERE o.uid = ? ORDER BY c.name, o.href`, uid)
	if err != nil {
		return nil, fmt.Errorf("load copies: %w", err)
	}
	defer rows.Close()
	var out []Resource
	for rows.Next() {
		var r Resource
		if err := rows.Scan(&r.CalendarID, &r.Calendar, &r.Kind, &r.Owner, &r.Href, &r.Data); err != nil {
			return nil, fmt.Errorf("load copies: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load copies: %w", err)
	}
	return out, nil
}

// Organizer returns the organizer of the series uid.
func (a Agenda) Organizer(ctx context.Context, uid string) (string, error) {
	var organizer string
	if err := a.DB.QueryRowContext(ctx, `SELECT organizer FROM series WHERE uid = ?`, uid).Scan(&organizer); err != nil {
		return "", fmt.Errorf("load organizer: %w", err)
	}
	return organizer, nil
}

// StoredETag returns the ETag of the stored resource at href, and false
// when none is stored.
func (a Agenda) StoredETag(ctx context.Context, calendarID int64, href string) (string, bool, error) {
	var etag string
	err := a.DB.QueryRowContext(ctx, `SELECT etag FROM calendar_objects WHERE calendar_id = ? AND href = ?`, calendarID, href).Scan(&etag)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("load etag of %s: %w", href, err)
	}
	return etag, true, nil
}

// ReplaceResource stores etag and data as the resource at href, while
// its stored ETag is still old (a sync may have stored a newer one).
func (a Agenda) ReplaceResource(ctx context.Context, calendarID int64, href, old, etag string, data []byte) error {
	_, err := a.DB.ExecContext(ctx, `UPDATE calendar_objects SET etag = ?, data = ? WHERE calendar_id = ? AND href = ? AND etag = ?`,
		etag, data, calendarID, href, old)
	if err != nil {
		return fmt.Errorf("store %s: %w", href, err)
	}
	return nil
}
