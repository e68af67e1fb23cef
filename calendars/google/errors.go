package google

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"
)

var (
	// ErrReconnect: Google refused the stored grant (revoked, expired, or
	// the account's password changed), or no grant is stored. Nothing the
	// daemon retries will fix it; the owner has to connect again. The
	// error carrying it is a *ReconnectError that says how.
	ErrReconnect = errors.New("google: access revoked or expired")
	// ErrNotWritable: the calendar copy cannot be changed by us (we are
	// not the organizer, or Google silently ignored the write).
	ErrNotWritable = errors.New("google: not writable by this account")
	// ErrCancelled: the occurrence to write to is cancelled or deleted.
	ErrCancelled = errors.New("google: the occurrence is cancelled")
)

// ReconnectError tells the owner of an account how to restore access.
type ReconnectError struct {
	Account        string
	ServiceAccount bool   // the grant was a service account's domain-wide delegation
	ConnectURL     string // the daemon's /connect/google page, when public_url is set
	Detail         string // what Google said
}

func (e *ReconnectError) Error() string {
	if e.ServiceAccount {
		return fmt.Sprintf("google: the service account may not act as %s (%s): check the domain-wide delegation "+
			"of the service account's client id and its scopes in the Google Workspace admin console, and that the user exists",
			e.Account, e.Detail)
	}
	how := "run `oneonone connect google`"
	if e.ConnectURL != "" {
		how += " or open " + e.ConnectURL
	}
	return fmt.Sprintf("google: access to %s was revoked or has expired (%s): %s to connect the account again",
		e.Account, e.Detail, how)
}

// Is makes errors.Is(err, ErrReconnect) true.
func (e *ReconnectError) Is(target error) bool { return target == ErrReconnect }

// grantRefused reports whether a token endpoint error means the grant
// itself is dead. x/oauth2/jwt does not parse the error code into
// RetrieveError.ErrorCode, so the body is looked at too.
func grantRefused(err error) (string, bool) {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return "", false
	}
	for _, code := range []string{"invalid_grant", "unauthorized_client", "access_denied"} {
		if re.ErrorCode == code || bytes.Contains(re.Body, []byte(`"`+code+`"`)) {
			detail := code
			if re.ErrorDescription != "" {
				detail += ": " + re.ErrorDescription
			}
			return detail, true
		}
	}
	return "", false
}

// apiError returns the Google API error inside err, if any.
func apiError(err error) *googleapi.Error {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge
	}
	return nil
}

// hasReason reports whether err is an API error with status code and one
// of the reasons.
func hasReason(err error, code int, reasons ...string) bool {
	ge := apiError(err)
	if ge == nil || ge.Code != code {
		return false
	}
	for _, item := range ge.Errors {
		for _, r := range reasons {
			if item.Reason == r {
				return true
			}
		}
	}
	return false
}

func isStatus(err error, code int) bool {
	ge := apiError(err)
	return ge != nil && ge.Code == code
}

// isGone is a 410: an expired sync token, or a deleted resource.
func isGone(err error) bool { return isStatus(err, http.StatusGone) }
