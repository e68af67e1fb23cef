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
	"github.com/oneonone/oneonone/sync/store"
)

// OccurrenceWriter writes the texts of one occurrence into one
// calendar's copy of its series (caldav.Writer and google.Writer are).
// calendars.ErrNotWritable: the account may not change that copy.
type OccurrenceWriter interface {
	WriteOccurrence(ctx context.Context, ref calendars.OccurrenceRef, edit calendars.TextEdit) (calendars.Written, error)
}

// AgendaWriter writes agenda blocks into the writable copy of tracked
// 1:1s (series.calendar_id) alone, through that calendar's
// OccurrenceWriter, and keeps what it wrote as the stored copy.
// AgendaWriters writes every watched copy instead, as the daemon does.
type AgendaWriter struct {
	DB     *sql.DB
	Writer func(calendarName string) (OccurrenceWriter, error)
	Now    func() time.Time // nil means time.Now
}

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
func (w *AgendaWriter) WriteAgenda(ctx context.Context, m calendars.Meeting, block string) error {
	if !m.End.IsZero() && !clock(w.Now).Before(m.End) {
		return fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, ErrMeetingOver)
	}
	st := store.Agenda{DB: w.DB}
	ref, err := writableCopy(ctx, st, m.SeriesUID)
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, err)
	}
	writer, err := w.Writer(ref.calendar)
	if err == nil {
		err = writeCopy(ctx, st, writer, ref, m, block, clock(w.Now))
	}
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, ref.calendar, err)
	}
	return nil
}

// writeCopy writes block into m's occurrence in the copy ref, unless the
// meeting is over, and keeps what the writer hands back (a CalDAV
// resource; Google hands back nothing) as the stored copy.
func writeCopy(ctx context.Context, st agendaStore, writer OccurrenceWriter, ref copyRef, m calendars.Meeting, block string, now time.Time) error {
	if !m.End.IsZero() && !now.Before(m.End) {
		return ErrMeetingOver
	}
	occ := calendars.OccurrenceRef{Href: ref.href, SeriesUID: m.SeriesUID, RecurrenceID: m.RecurrenceID}
	done, err := writer.WriteOccurrence(ctx, occ, calendars.AgendaEdit(block))
	if err != nil || done.Data == nil {
		return err
	}
	return remember(ctx, st, ref, done.Base, done.ETag, done.Data)
}

// writableCopy finds the resource of the series' writable copy. Should
// the calendar hold the UID at several hrefs, the one with the master
// event is taken: that is where an override can be added.
func writableCopy(ctx context.Context, st agendaStore, uid string) (copyRef, error) {
	cal, err := st.WritableCalendar(ctx, uid)
	if errors.Is(err, store.ErrNoCopy) {
		return copyRef{}, calendars.ErrNoMeeting
	}
	if err != nil {
		return copyRef{}, err
	}
	ref := copyRef{calID: cal.CalendarID, calendar: cal.Calendar}
	resources, err := st.ResourcesIn(ctx, ref.calID, uid)
	if err != nil {
		return ref, err
	}
	for _, r := range resources {
		if ref.href == "" || hasMaster(r.Data, uid) {
			ref.href = r.Href
		}
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
func remember(ctx context.Context, st agendaStore, ref copyRef, base, etag string, data []byte) error {
	stored, ok, err := st.StoredETag(ctx, ref.calID, ref.href)
	if err == nil && (!ok || etag == "" || !sameETag(stored, base)) {
		return nil
	}
	if err == nil {
		err = st.ReplaceResource(ctx, ref.calID, ref.href, stored, etag, data)
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
