package sync

import (
	"context"
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

// GoogleAgendaWriter writes agenda blocks into a Google copy of tracked
// 1:1s (a CopyWriter for AgendaWriters): it patches that one instance of the series,
// conditionally, without notifying the guests. Descriptions that came
// back as HTML still have their block found and the people's text kept.
type GoogleAgendaWriter struct {
	// Client returns the client and the calendar id of a configured
	// calendar.
	Client func(calendarName string) (GoogleCalendar, string, error)
}

var _ CopyWriter = (*GoogleAgendaWriter)(nil)

// WriteCopy implements CopyWriter.
func (w *GoogleAgendaWriter) WriteCopy(ctx context.Context, c Copy, m prep.Meeting, block string) error {
	client, calID, err := w.Client(c.Calendar)
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, c.Calendar, err)
	}
	start, allDay, err := calendars.ParseKey(m.RecurrenceID)
	if err != nil {
		return fmt.Errorf("sync: agenda of %s: %w", m.SeriesUID, err)
	}
	// The href of a Google series' master object is its event id.
	err = client.WriteDescription(ctx, calID, c.ref.href, start, allDay, agendaEdit(block))
	if errors.Is(err, google.ErrNotWritable) {
		err = fmt.Errorf("%w: %w", prep.ErrNotWritable, err)
	}
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, c.Calendar, err)
	}
	return nil
}
