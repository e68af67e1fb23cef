package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/prep"
)

// GoogleCalendar is what the agenda writer needs of a Google client
// (*google.Client has it).
type GoogleCalendar interface {
	WriteDescription(ctx context.Context, calendarID, masterID string, originalStart time.Time, allDay bool, edit func(old string) (string, bool)) error
}

// GoogleAgendaWriter writes agenda blocks into the Google copy of tracked
// 1:1s (prep.AgendaWriter): it patches that one instance of the series,
// conditionally, without notifying the guests. Descriptions that came
// back as HTML still have their block found and the people's text kept.
type GoogleAgendaWriter struct {
	DB *sql.DB
	// Client returns the client and the calendar id of a configured
	// calendar.
	Client func(calendarName string) (GoogleCalendar, string, error)
}

var _ prep.AgendaWriter = (*GoogleAgendaWriter)(nil)

// WriteAgenda implements prep.AgendaWriter.
func (w *GoogleAgendaWriter) WriteAgenda(ctx context.Context, m prep.Meeting, block string) error {
	ref, err := writableCopy(ctx, w.DB, m.SeriesUID, "google")
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, err)
	}
	client, calID, err := w.Client(ref.calendar)
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, ref.calendar, err)
	}
	start, allDay, err := calendars.ParseKey(m.RecurrenceID)
	if err != nil {
		return fmt.Errorf("sync: agenda of %s: %w", m.SeriesUID, err)
	}
	// The href of a Google series' master object is its event id.
	err = client.WriteDescription(ctx, calID, ref.href, start, allDay, agendaEdit(block))
	if errors.Is(err, google.ErrNotWritable) {
		err = fmt.Errorf("%w: %w", prep.ErrNotWritable, err)
	}
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, ref.calendar, err)
	}
	return nil
}

// AgendaWriters sends each agenda to the writer for the kind of calendar
// that holds the series' writable copy.
type AgendaWriters struct {
	DB     *sql.DB
	ByKind map[string]prep.AgendaWriter
}

// WriteAgenda implements prep.AgendaWriter.
func (ws AgendaWriters) WriteAgenda(ctx context.Context, m prep.Meeting, block string) error {
	var kind string
	err := ws.DB.QueryRowContext(ctx, `SELECT c.kind FROM series s JOIN calendars c ON c.id = s.calendar_id WHERE s.uid = ?`, m.SeriesUID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return prep.ErrNoMeeting
	}
	if err != nil {
		return fmt.Errorf("sync: agenda of %s: %w", m.SeriesUID, err)
	}
	w, ok := ws.ByKind[kind]
	if !ok {
		return fmt.Errorf("sync: agenda of %s: %s calendars cannot be written: %w", m.SeriesUID, kind, prep.ErrNotWritable)
	}
	return w.WriteAgenda(ctx, m, block)
}
