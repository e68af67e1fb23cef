package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/ics"
	"github.com/oneonone/oneonone/prep"
)

// OccurrenceWriter writes the texts of one occurrence into one
// calendar's copy of its series (caldav.Writer and google.Writer are).
// calendars.ErrNotWritable: the account may not change that copy.
type OccurrenceWriter interface {
	WriteOccurrence(ctx context.Context, ref calendars.OccurrenceRef, edit calendars.TextEdit) (calendars.Written, error)
}

// AgendaWriter writes agenda blocks into a CalDAV copy of tracked 1:1s
// (a CopyWriter for AgendaWriters), through the calendar's
// OccurrenceWriter, and keeps what it wrote as the stored copy.
//
// WriteCopy writes the copy it is given: AgendaWriters gives it every
// watched copy, the organizer's and the attendee's, since a CalDAV copy
// is seen by its owner only. Many servers (Radicale, Xandikos, Nextcloud
// without scheduling) let an attendee change their copy; one that
// refuses gives calendars.ErrNotWritable, so that the agenda goes out by
// email instead. WriteAgenda writes the series' writable copy
// (series.calendar_id) alone.
type AgendaWriter struct {
	DB     *sql.DB
	Writer func(calendarName string) (OccurrenceWriter, error)
	Now    func() time.Time // nil means time.Now
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
// series' writable copy (an empty block removes it). Nothing is written
// when the event already holds it.
func (w *AgendaWriter) WriteAgenda(ctx context.Context, m prep.Meeting, block string) error {
	if !m.End.IsZero() && !w.now().Before(m.End) {
		return fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, ErrMeetingOver)
	}
	ref, err := writableCopy(ctx, w.DB, m.SeriesUID, "caldav")
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, err)
	}
	writer, err := w.Writer(ref.calendar)
	if err == nil {
		err = w.write(ctx, writer, ref, m, block)
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
	writer, err := w.Writer(c.Calendar)
	if err == nil {
		err = w.write(ctx, writer, c.ref, m, block)
	}
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, c.Calendar, err)
	}
	return nil
}

func (w *AgendaWriter) write(ctx context.Context, writer OccurrenceWriter, ref copyRef, m prep.Meeting, block string) error {
	occ := calendars.OccurrenceRef{Href: ref.href, SeriesUID: m.SeriesUID, RecurrenceID: m.RecurrenceID}
	done, err := writer.WriteOccurrence(ctx, occ, calendars.AgendaEdit(block))
	if err != nil || done.Data == nil {
		return err
	}
	return w.remember(ctx, ref, done.Base, done.ETag, done.Data)
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

func (w *AgendaWriter) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}
