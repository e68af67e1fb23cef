package google

import (
	"context"
	"errors"
	"fmt"

	"github.com/oneonone/oneonone/calendars"
)

// Writer writes the texts of one occurrence into a Google copy of its
// series: it patches that one instance, conditionally, without notifying
// the guests (WriteDescription). Descriptions that came back as HTML
// still have their block found and the people's text kept.
type Writer struct {
	Client     *Client
	CalendarID string
}

// WriteOccurrence applies edit's description change to the occurrence
// ref, whose Href is the series' master event id. Google keeps one
// description per event, so edit.HTML is not used. A refusal is
// calendars.ErrNotWritable, a cancelled or deleted occurrence
// calendars.ErrNoOccurrence. Google does not hand back the event as
// iCalendar, so the Written is zero.
func (w Writer) WriteOccurrence(ctx context.Context, ref calendars.OccurrenceRef, edit calendars.TextEdit) (calendars.Written, error) {
	start, allDay, err := calendars.ParseKey(ref.RecurrenceID)
	if err != nil {
		return calendars.Written{}, err
	}
	err = w.Client.WriteDescription(ctx, w.CalendarID, ref.Href, start, allDay, edit.Description)
	switch {
	case errors.Is(err, ErrNotWritable):
		err = fmt.Errorf("%w: %w", calendars.ErrNotWritable, err)
	case errors.Is(err, ErrCancelled):
		err = fmt.Errorf("%w: %w", calendars.ErrNoOccurrence, err)
	}
	return calendars.Written{}, err
}
