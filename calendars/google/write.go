package google

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/oneonone/oneonone/calendars"
)

// maxWriteAttempts bounds the read–edit–write rounds of one write that
// keeps meeting 412 Precondition Failed.
const maxWriteAttempts = 5

// InstanceID is the event id of one occurrence of a recurring event:
// "<masterId>_<yyyymmddThhmmssZ>" (UTC), or "<masterId>_<yyyymmdd>" for
// all-day events.
func InstanceID(masterID string, originalStart time.Time, allDay bool) string {
	if allDay {
		return masterID + "_" + originalStart.Format(dateLayout)
	}
	return masterID + "_" + originalStart.UTC().Format(utcLayout)
}

// WriteDescription changes the description of one occurrence, and of that
// occurrence only: it reads the instance, lets edit turn its description
// (raw, possibly the HTML Google's web UI stores) into the new one, and
// patches the instance with If-Match on the etag it read and
// sendUpdates=none, so attendees get no mail. On 412 it reads and edits
// again, at most 5 times (then calendars.ErrConflict). edit returning
// false, or the same text, writes nothing.
//
// ErrNotWritable: the account is not the organizer (403
// forbiddenForNonOrganizer or another refusal), or Google answered 200
// but left the event unchanged. ErrCancelled: the occurrence is gone.
func (c *Client) WriteDescription(ctx context.Context, calendarID, masterID string, originalStart time.Time, allDay bool, edit func(old string) (string, bool)) error {
	id := InstanceID(masterID, originalStart, allDay)
	read := func(ctx context.Context) (*calendar.Event, error) {
		ev, err := c.getEvent(ctx, calendarID, id)
		if isStatus(err, http.StatusNotFound) || isGone(err) || (err == nil && ev.Status == "cancelled") {
			return nil, fmt.Errorf("google: write %s: %w", id, ErrCancelled)
		}
		if err != nil {
			return nil, fmt.Errorf("google: write %s: %w", id, err)
		}
		return ev, nil
	}
	apply := func(ev *calendar.Event) (*calendar.Event, bool, error) {
		desc, change := edit(ev.Description)
		return &calendar.Event{Description: desc}, change && desc != ev.Description, nil
	}
	write := func(ctx context.Context, ev, edited *calendar.Event) error {
		res, err := c.patchDescription(ctx, calendarID, id, ev.Etag, edited.Description)
		switch {
		case isStatus(err, http.StatusPreconditionFailed):
			c.log.Debug("google: event changed while writing; reading it again", "event", id)
			return fmt.Errorf("google: write %s: %w", id, calendars.ErrConflict)
		case refused(err):
			return fmt.Errorf("google: write %s: %w: %v", id, ErrNotWritable, err)
		case err != nil:
			return fmt.Errorf("google: write %s: %w", id, err)
		case res.Etag == ev.Etag && res.Description == ev.Description:
			// Google answers some writes to an attendee's copy with 200 and
			// the unchanged event.
			return fmt.Errorf("google: write %s: %w: the write was accepted but changed nothing", id, ErrNotWritable)
		}
		return nil
	}
	return calendars.WriteConditionally(ctx, maxWriteAttempts, read, apply, write)
}

// refused is a 403 that is not a rate limit: not the organizer, or no
// write access to the calendar.
func refused(err error) bool {
	return isStatus(err, http.StatusForbidden) &&
		!hasReason(err, http.StatusForbidden, "rateLimitExceeded", "userRateLimitExceeded")
}

func (c *Client) getEvent(ctx context.Context, calendarID, id string) (*calendar.Event, error) {
	var ev *calendar.Event
	err := c.do(ctx, func(ctx context.Context) error {
		var err error
		ev, err = c.svc.Events.Get(calendarID, id).Context(ctx).Do()
		return err
	})
	return ev, err
}

func (c *Client) patchDescription(ctx context.Context, calendarID, id, etag, desc string) (*calendar.Event, error) {
	var res *calendar.Event
	err := c.do(ctx, func(ctx context.Context) error {
		patch := &calendar.Event{Description: desc, ForceSendFields: []string{"Description"}}
		call := c.svc.Events.Patch(calendarID, id, patch).SendUpdates("none").Context(ctx)
		call.Header().Set("If-Match", etag)
		var err error
		res, err = call.Do()
		return err
	})
	return res, err
}
