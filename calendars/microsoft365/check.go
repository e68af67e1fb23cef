package microsoft365

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Check does what a sync starts with: it fetches a token and reads the
// mailbox's default calendar. The error names what is wrong and what to
// do: the credentials (see CredentialsError), a missing permission, an
// unknown mailbox, an endpoint that does not answer.
func (c *Client) Check(ctx context.Context) error {
	var cal struct {
		ID string `json:"id"`
	}
	err := c.do(ctx, request{method: http.MethodGet, url: c.userPath(c.cfg.User) + "calendar?$select=id"}, &cal)
	var ce *CredentialsError
	var ne net.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return ce
	case isStatus(err, http.StatusForbidden):
		return fmt.Errorf("microsoft365: the app may not read the calendar of %s (%w): grant it the application permission "+
			"Calendars.ReadWrite with admin consent, and check that no application access policy leaves this mailbox out",
			c.cfg.User, err)
	case isStatus(err, http.StatusNotFound):
		return fmt.Errorf("microsoft365: no mailbox %s in tenant %s (%w): check user (a userPrincipalName or object id with an Exchange Online mailbox)",
			c.cfg.User, c.cfg.Tenant, err)
	case isStatus(err, http.StatusUnauthorized):
		return fmt.Errorf("microsoft365: Graph refused the app's token (%w): check that endpoint and login_endpoint belong to the same cloud",
			err)
	case errors.As(err, &ne):
		return fmt.Errorf("microsoft365: cannot reach %s or %s (%w): check endpoint, login_endpoint, DNS, the firewall and any proxy",
			c.base, tokenURL(c.cfg.LoginEndpoint, c.cfg.Tenant), err)
	}
	return fmt.Errorf("microsoft365: read the calendar of %s: %w", c.cfg.User, err)
}
