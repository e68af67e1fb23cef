package sync

import (
	"context"
	"fmt"

	"github.com/oneonone/oneonone/calendars"
)

// GoogleAgendaWriter writes agenda blocks into a Google copy of tracked
// 1:1s (a CopyWriter for AgendaWriters), through the calendar's
// OccurrenceWriter: that one instance of the series, conditionally,
// without notifying the guests.
type GoogleAgendaWriter struct {
	Writer func(calendarName string) (OccurrenceWriter, error)
}

var _ CopyWriter = (*GoogleAgendaWriter)(nil)

// WriteCopy implements CopyWriter. The href of a Google series' master
// object is its event id.
func (w *GoogleAgendaWriter) WriteCopy(ctx context.Context, c Copy, m calendars.Meeting, block string) error {
	writer, err := w.Writer(c.Calendar)
	if err == nil {
		occ := calendars.OccurrenceRef{Href: c.ref.href, SeriesUID: m.SeriesUID, RecurrenceID: m.RecurrenceID}
		_, err = writer.WriteOccurrence(ctx, occ, calendars.AgendaEdit(block))
	}
	if err != nil {
		return fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, c.Calendar, err)
	}
	return nil
}
