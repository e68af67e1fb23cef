package caldav

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Objects is what a Writer needs of a server (*Client has it).
type Objects interface {
	Get(ctx context.Context, href string) (Object, error)
	Put(ctx context.Context, href string, data []byte, ifMatch string) (etag string, err error)
}

// Writer writes the texts of one occurrence into a CalDAV copy of its
// series: into the description, and the HTML alternative description
// where there is one, of the occurrence's RECURRENCE-ID override inside
// the series' resource, made from the master when the occurrence has
// none, keeping every other component, property and the people's own
// text.
//
// A server that refuses (403, 405) gives calendars.ErrNotWritable; so
// does a server that schedules the event (RFC 6638), which would send the
// attendees an update for every write.
type Writer struct {
	Objects    Objects
	MaxRetries int // re-reads after someone else's write (412); 0 means 5
	// DefaultZone is where floating times happen, as for the engine that
	// read the series (the occurrence keys were computed with it).
	DefaultZone *time.Location
}

// WriteOccurrence applies edit to the occurrence ref. The write is
// conditional on the ETag just read; when someone else wrote in between
// (412), the resource is read again and edit applied to what they wrote.
// Nothing is written (a zero Written) when edit changes nothing.
func (w Writer) WriteOccurrence(ctx context.Context, ref calendars.OccurrenceRef, edit calendars.TextEdit) (calendars.Written, error) {
	opt := calendars.ReadOptions{DefaultZone: w.DefaultZone}
	allDay := len(ref.RecurrenceID) == len("2006-01-02")
	var done calendars.Written
	read := func(ctx context.Context) (Object, error) {
		obj, err := w.Objects.Get(ctx, ref.Href)
		switch {
		case err != nil:
			return obj, notWritable(err)
		case obj.ETag == "":
			return obj, fmt.Errorf("get %s: the server sent no ETag, so the write cannot be conditional", ref.Href)
		case ServerSchedules(obj):
			// Any write would make the server send the attendees an
			// update (see schedule.go): mail it instead.
			return obj, fmt.Errorf("%w: the server schedules %s for its attendees (RFC 6638) and would send them an update on every write",
				calendars.ErrNotWritable, ref.Href)
		}
		return obj, nil
	}
	apply := func(obj Object) (Object, bool, error) {
		data, changed, err := calendars.EditOccurrenceText(obj.Data, opt, ref.SeriesUID, ref.RecurrenceID, allDay, edit)
		if errors.Is(err, calendars.ErrNotEditable) {
			err = fmt.Errorf("%w: %w", calendars.ErrNotWritable, err)
		}
		obj.Data = data
		return obj, changed, err
	}
	write := func(ctx context.Context, old, edited Object) error {
		etag, err := w.Objects.Put(ctx, ref.Href, edited.Data, old.ETag)
		if errors.Is(err, ErrPreconditionFailed) {
			return fmt.Errorf("%w: %w", calendars.ErrConflict, err)
		}
		if err != nil {
			return notWritable(err)
		}
		done = calendars.Written{Base: old.ETag, ETag: etag, Data: edited.Data}
		return nil
	}
	err := calendars.WriteConditionally(ctx, w.maxRetries()+1, read, apply, write)
	return done, err
}

// notWritable turns the statuses of a copy the account may not change
// into calendars.ErrNotWritable.
func notWritable(err error) error {
	var he *HTTPError
	if errors.As(err, &he) && (he.Status == http.StatusForbidden || he.Status == http.StatusMethodNotAllowed) {
		return fmt.Errorf("%w: %w", calendars.ErrNotWritable, err)
	}
	return err
}

func (w Writer) maxRetries() int {
	if w.MaxRetries <= 0 {
		return 5
	}
	return w.MaxRetries
}
