package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/ics"
	"github.com/oneonone/oneonone/prep"
)

// CalDAV is what the agenda writer needs of a CalDAV client
// (*caldav.Client has it).
type CalDAV interface {
	Get(ctx context.Context, href string) (caldav.Object, error)
	Put(ctx context.Context, href string, data []byte, ifMatch string) (etag string, err error)
}

// AgendaWriter writes agenda blocks into a CalDAV copy of tracked 1:1s
// (a CopyWriter for AgendaWriters): into the description, and the HTML
// alternative description where there is one, of the occurrence's
// RECURRENCE-ID override inside the series' resource, made from the
// master when the occurrence has none, keeping every other component,
// property and the people's own text.
//
// WriteCopy writes the copy it is given: AgendaWriters gives it every
// watched copy, the organizer's and the attendee's, since a CalDAV copy
// is seen by its owner only. Many servers (Radicale, Xandikos, Nextcloud
// without scheduling) let an attendee change their copy. A server that
// refuses (403, 405) gives prep.ErrNotWritable, so that the agenda goes
// out by email instead; so does a server that schedules the event (RFC
// 6638), which would send the attendees an update for every write.
// WriteAgenda writes the series' writable copy
// (series.calendar_id) alone.
type AgendaWriter struct {
	DB         *sql.DB
	Client     func(calendarName string) (CalDAV, error)
	MaxRetries int              // re-reads after someone else's write (412); 0 means 5
	Now        func() time.Time // nil means time.Now
	// DefaultZone is where floating times happen, as for the Engine that
	// read the series (the occurrence keys were computed with it).
	DefaultZone *time.Location
}

var _ CopyWriter = (*AgendaWriter)(nil)

// ErrMeetingOver: the occurrence has ended; its event is left as it was.
var ErrMeetingOver = errors.New("sync: the meeting is over")

// copyRef is the stored resource that holds a series' writable copy.
type copyRef struct {
	calID    int64
	calendar string
	href     string
}

// WriteAgenda puts block into the agenda block of m's occurrence in the
// series' writable copy (an empty block removes it). Nothing is written when the event already
// holds it. The write is conditional on the ETag just read; when someone
// else wrote in between (412), the resource is read again and the block
// applied to what they wrote, at most MaxRetries times.
func (w *AgendaWriter) WriteAgenda(ctx context.Context, m prep.Meeting, block string) error {
	if !m.End.IsZero() && !w.now().Before(m.End) {
		return fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, ErrMeetingOver)
	}
	ref, err := writableCopy(ctx, w.DB, m.SeriesUID, "caldav")
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, err)
	}
	client, err := w.Client(ref.calendar)
	if err == nil {
		err = w.write(ctx, client, ref, m, block)
	}
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, ref.calendar, err)
	}
	return nil
}

// WriteCopy implements CopyWriter: WriteAgenda into the copy c.
func (w *AgendaWriter) WriteCopy(ctx context.Context, c Copy, m prep.Meeting, block string) error {
	if !m.End.IsZero() && !w.now().Before(m.End) {
		return fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, ErrMeetingOver)
	}
	client, err := w.Client(c.Calendar)
	if err == nil {
		err = w.write(ctx, client, c.ref, m, block)
	}
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, c.Calendar, err)
	}
	return nil
}

func (w *AgendaWriter) write(ctx context.Context, client CalDAV, ref copyRef, m prep.Meeting, block string) error {
	edit := calendars.TextEdit{Description: agendaEdit(block), HTML: agendaHTMLEdit(block)}
	opt := calendars.ReadOptions{DefaultZone: w.DefaultZone}
	allDay := len(m.RecurrenceID) == len("2006-01-02")
	for attempt := 0; ; attempt++ {
		obj, err := client.Get(ctx, ref.href)
		if err != nil {
			return notWritable(err)
		}
		if obj.ETag == "" {
			return fmt.Errorf("get %s: the server sent no ETag, so the write cannot be conditional", ref.href)
		}
		if caldav.ServerSchedules(obj) {
			// Any write would make the server send the attendees an
			// update (see calendars/caldav/schedule.go): mail it instead.
			return fmt.Errorf("%w: the server schedules %s for its attendees (RFC 6638) and would send them an update on every write", prep.ErrNotWritable, ref.href)
		}
		data, changed, err := calendars.EditOccurrenceText(obj.Data, opt, m.SeriesUID, m.RecurrenceID, allDay, edit)
		if errors.Is(err, calendars.ErrNotEditable) {
			return fmt.Errorf("%w: %w", prep.ErrNotWritable, err)
		}
		if err != nil || !changed {
			return err
		}
		etag, err := client.Put(ctx, ref.href, data, obj.ETag)
		if errors.Is(err, caldav.ErrPreconditionFailed) && attempt < w.maxRetries() {
			continue
		}
		if err != nil {
			return notWritable(err)
		}
		return w.remember(ctx, ref, obj.ETag, etag, data)
	}
}

// agendaEdit puts block into a description's agenda block; an empty
// block removes it.
func agendaEdit(block string) func(old string) (string, bool) {
	return func(old string) (string, bool) {
		if block == "" {
			return calendars.RemoveAgendaBlock(old)
		}
		return calendars.SetAgendaBlock(old, block)
	}
}

// agendaHTMLEdit is agendaEdit for an HTML alternative description
// (X-ALT-DESC;FMTTYPE=text/html, which Outlook shows instead of the
// DESCRIPTION).
func agendaHTMLEdit(block string) func(old string) (string, bool) {
	return func(old string) (string, bool) {
		if block == "" {
			return calendars.RemoveAgendaBlockHTML(old)
		}
		return calendars.SetAgendaBlockHTML(old, block)
	}
}

// notWritable turns the statuses of a copy the account may not change
// into prep.ErrNotWritable.
func notWritable(err error) error {
	var he *caldav.HTTPError
	if errors.As(err, &he) && (he.Status == http.StatusForbidden || he.Status == http.StatusMethodNotAllowed) {
		return fmt.Errorf("%w: %w", prep.ErrNotWritable, err)
	}
	return err
}

// writableCopy finds the resource of the series' writable copy. Should
// the calendar hold the UID at several hrefs, the one with the master
// event is taken: that is where an override can be added.
func writableCopy(ctx context.Context, db *sql.DB, uid, want string) (copyRef, error) {
	var ref copyRef
	var kind string
	err := db.QueryRowContext(ctx, `SELECT s.calendar_id, c.name, c.kind FROM series s JOIN calendars c ON c.id = s.calendar_id
		WHERE s.uid = ?`, uid).Scan(&ref.calID, &ref.calendar, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, prep.ErrNoMeeting
	}
	if err != nil {
		return ref, fmt.Errorf("load series: %w", err)
	}
	if kind != want {
		return ref, fmt.Errorf("calendar %s is %s, not %s", ref.calendar, kind, want)
	}
	rows, err := db.QueryContext(ctx, `SELECT href, data FROM calendar_objects WHERE calendar_id = ? AND uid = ? ORDER BY href`, ref.calID, uid)
	if err != nil {
		return ref, fmt.Errorf("load copy: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var href string
		var data []byte
		if err := rows.Scan(&href, &data); err != nil {
			return ref, fmt.Errorf("load copy: %w", err)
		}
		if ref.href == "" || hasMaster(data, uid) {
			ref.href = href
		}
	}
	if err := rows.Err(); err != nil {
		return ref, fmt.Errorf("load copy: %w", err)
	}
	if ref.href == "" {
		return ref, fmt.Errorf("calendar %s holds no resource of the series", ref.calendar)
	}
	return ref, nil
}

func hasMaster(data []byte, uid string) bool {
	roots, _ := ics.Parse(data)
	for _, ev := range ics.Events(roots, uid) {
		if ev.Prop("RECURRENCE-ID") == nil {
			return true
		}
	}
	return false
}

// remember stores what was written as the calendar's copy, so that the
// engine reads the next change of it against this version. It does so
// only while the stored copy is the one the write was based on: when a
// sync stored a newer one meanwhile, that one stays, and the feed brings
// the written version (or a later one) as a change like any other.
func (w *AgendaWriter) remember(ctx context.Context, ref copyRef, base, etag string, data []byte) error {
	var stored string
	err := w.DB.QueryRowContext(ctx, `SELECT etag FROM calendar_objects WHERE calendar_id = ? AND href = ?`, ref.calID, ref.href).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (etag == "" || !sameETag(stored, base)) {
		return nil
	}
	if err == nil {
		_, err = w.DB.ExecContext(ctx, `UPDATE calendar_objects SET etag = ?, data = ? WHERE calendar_id = ? AND href = ? AND etag = ?`,
			etag, data, ref.calID, ref.href, stored)
	}
	if err != nil {
		return fmt.Errorf("written, but storing the new copy: %w", err)
	}
	return nil
}

// sameETag compares ETags as servers and clients quote them.
func sameETag(a, b string) bool {
	norm := func(s string) string { return strings.Trim(strings.TrimPrefix(strings.TrimSpace(s), "W/"), `"`) }
	return norm(a) == norm(b)
}

func (w *AgendaWriter) maxRetries() int {
	if w.MaxRetries <= 0 {
		return 5
	}
	return w.MaxRetries
}

func (w *AgendaWriter) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}
