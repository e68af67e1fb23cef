package calendars

import (
	"context"
	"errors"
	"fmt"
)

// OccurrenceRef names one occurrence in one calendar's copy of a series:
// what an adapter's writer edits.
type OccurrenceRef struct {
	// Href is the resource that holds the copy: a CalDAV href, or the
	// event id of a Google series' master.
	Href         string
	SeriesUID    string
	RecurrenceID string // the occurrence's key (see Key)
}

// Written is what a write left in the calendar: the version it was
// based on and, where the provider tells, the new one.
type Written struct {
	Base, ETag string
	Data       []byte // the resource as written; nil when the provider keeps its own form
}

var (
	// ErrNotWritable: the account may not change this copy (refused, not
	// the organizer, or a server that would notify the attendees).
	ErrNotWritable = errors.New("the calendar copy of this meeting cannot be written")
	// ErrConflict: someone else changed the copy between our read and our
	// conditional write (HTTP 412).
	ErrConflict = errors.New("calendars: the copy changed while being written")
)

// WriteConditionally is the bounded re-read/re-apply loop every adapter
// writes one occurrence with: read the copy, apply the edit to it, write
// the result conditionally on the version read. When write reports
// ErrConflict, the copy is read again and the edit applied to what the
// other writer left, at most attempts rounds in all; the last conflict is
// returned then. apply returning false writes nothing.
func WriteConditionally[V any](ctx context.Context, attempts int, read func(context.Context) (V, error),
	apply func(V) (V, bool, error), write func(ctx context.Context, read, edited V) error) error {
	var err error
	for range max(attempts, 1) {
		var cur, next V
		var changed bool
		if cur, err = read(ctx); err != nil {
			return err
		}
		if next, changed, err = apply(cur); err != nil || !changed {
			return err
		}
		if err = write(ctx, cur, next); !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("%w (%d attempts)", err, max(attempts, 1))
}
