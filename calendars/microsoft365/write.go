package microsoft365

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// maxWriteAttempts bounds the read–edit–write rounds of one write that
// keeps meeting 412 Precondition Failed.
const maxWriteAttempts = 5

// findSpan is how far from its original start an occurrence is looked
// for: a moved occurrence further away is not written (its people get
// the agenda by mail).
const findSpan = 14 * 24 * time.Hour

// Writer writes the agenda into one mailbox's own copy of an occurrence
// (calendars.OccurrenceWriter). Graph documents no way to keep an
// organizer's change from sending an update to every attendee, so an
// organizer's copy is refused (calendars.ErrNotWritable, and its people
// get the agenda by mail); an attendee's change to their own copy
// touches that copy only and notifies nobody.
type Writer struct {
	Client *Client
	User   string // the mailbox; "" is the client's
}

// WriteOccurrence applies edit to the body of the occurrence ref.
// RecurrenceID of the series whose master event in this mailbox is
// ref.Href. Graph keeps one body (HTML here), so edit.HTML is used when
// set. A cancelled or deleted occurrence is calendars.ErrNoOccurrence.
func (w Writer) WriteOccurrence(ctx context.Context, ref calendars.OccurrenceRef, edit calendars.TextEdit) (calendars.Written, error) {
	user := w.User
	if user == "" {
		user = w.Client.User()
	}
	start, _, err := calendars.ParseKey(ref.RecurrenceID)
	if err != nil {
		return calendars.Written{}, err
	}
	id, err := w.Client.occurrenceID(ctx, user, ref.Href, start)
	if err == nil {
		err = w.Client.writeBody(ctx, user, id, edit)
	}
	if err != nil {
		return calendars.Written{}, fmt.Errorf("microsoft365: write %s %s of %s: %w", ref.SeriesUID, ref.RecurrenceID, user, err)
	}
	return calendars.Written{}, nil
}

// occurrenceID finds the id of master's occurrence originally at start
// in user's calendar, from a calendarView read of the weeks around it
// (delta returns an occurrence's id, series and times, and an
// exception's originalStart).
func (c *Client) occurrenceID(ctx context.Context, user, master string, start time.Time) (string, error) {
	items, _, err := c.delta(ctx, c.deltaURL(user, start.Add(-findSpan), start.Add(findSpan)))
	if err != nil {
		return "", fmt.Errorf("occurrences of %s: %w", master, err)
	}
	for i := range items {
		ev := &items[i]
		if ev.SeriesMasterID != master || ev.removed() {
			continue
		}
		if t, err := originalStart(ev); err == nil && t.Equal(start) && !ev.IsCancelled {
			return ev.ID, nil
		}
	}
	return "", fmt.Errorf("%w: no occurrence at %s", calendars.ErrNoOccurrence, start.UTC().Format(time.RFC3339))
}

// writeBody edits the body of event id with If-Match on the etag read,
// through the shared bounded 412 loop.
func (c *Client) writeBody(ctx context.Context, user, id string, edit calendars.TextEdit) error {
	read := func(ctx context.Context) (*event, error) {
		ev, err := c.getEvent(ctx, user, id)
		switch {
		case isStatus(err, http.StatusNotFound) || isGone(err):
			return nil, fmt.Errorf("%w: %w", calendars.ErrNoOccurrence, ErrCancelled)
		case err != nil:
			return nil, err
		case ev.IsCancelled:
			return nil, fmt.Errorf("%w: %w", calendars.ErrNoOccurrence, ErrCancelled)
		case ev.IsOrganizer:
			return nil, fmt.Errorf("%w: %w: the organizer's copy (a change there notifies every attendee)", calendars.ErrNotWritable, ErrNotWritable)
		}
		if ev.Body == nil {
			ev.Body = &itemBody{ContentType: "html"}
		}
		return ev, nil
	}
	apply := func(ev *event) (*event, bool, error) {
		old := ev.Body.Content
		f := edit.Description
		if ev.Body.ContentType == "html" && edit.HTML != nil {
			f = edit.HTML
		}
		body, change := f(old)
		return &event{Body: &itemBody{ContentType: ev.Body.ContentType, Content: body}}, change && body != old, nil
	}
	write := func(ctx context.Context, ev, edited *event) error {
		patch := map[string]any{"body": edited.Body}
		err := c.do(ctx, request{method: http.MethodPatch, url: c.userPath(user) + "events/" + url.PathEscape(id),
			match: ev.ETag, body: patch}, nil)
		switch {
		case isStatus(err, http.StatusPreconditionFailed):
			c.log.Debug("microsoft365: event changed while writing; reading it again", "event", id)
			return fmt.Errorf("%w", calendars.ErrConflict)
		case isStatus(err, http.StatusForbidden):
			return fmt.Errorf("%w: %w: %v", calendars.ErrNotWritable, ErrNotWritable, err)
		case isStatus(err, http.StatusNotFound):
			return fmt.Errorf("%w: %w", calendars.ErrNoOccurrence, ErrCancelled)
		}
		return err
	}
	return calendars.WriteConditionally(ctx, maxWriteAttempts, read, apply, write)
}
