package google

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Check reads one event of calendarID, so that `oneonone check` learns
// what a sync would: whether a token is granted for the account, whether
// the API endpoint answers, and whether the account may read the
// calendar. An events.list of one item is used rather than calendars.get
// because the scope the daemon asks for (calendar.events) does not cover
// calendars.get. The error says what to do.
func (c *Client) Check(ctx context.Context, calendarID string) error {
	err := c.do(ctx, func(ctx context.Context) error {
		_, err := c.svc.Events.List(calendarID).MaxResults(1).Fields("items(id)").Context(ctx).Do()
		return err
	})
	var rc *ReconnectError
	var ne net.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &rc):
		return rc
	case isStatus(err, http.StatusNotFound):
		return fmt.Errorf("google: calendar %q not found for %s: check calendar_id, and that the calendar is shared with %s",
			calendarID, c.account, c.account)
	case isStatus(err, http.StatusUnauthorized), isStatus(err, http.StatusForbidden):
		return fmt.Errorf("google: %s may not read calendar %q (%w): check the scopes granted to the service account "+
			"or the connected account's access to the calendar", c.account, calendarID, err)
	case errors.As(err, &ne):
		return fmt.Errorf("google: cannot reach the Calendar API at %s (%w): check endpoint, DNS, the firewall and any proxy",
			c.endpoint(), err)
	}
	return fmt.Errorf("google: read calendar %q as %s: %w", calendarID, c.account, err)
}

// endpoint names the API base the client talks to, for messages.
func (c *Client) endpoint() string {
	if c.opt.Endpoint == "" {
		return "https://www.googleapis.com"
	}
	return c.opt.Endpoint
}
