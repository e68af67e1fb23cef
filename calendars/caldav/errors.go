package caldav

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// Errors a caller can test with errors.Is. Each comes wrapped in an
// *HTTPError that says which request failed.
var (
	// ErrPreconditionFailed: the If-Match / If-None-Match condition of a write
	// did not hold (someone else changed the object, or it already exists).
	ErrPreconditionFailed = errors.New("precondition failed")
	// ErrNotFound: the object or collection does not exist (any more).
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: the server refused the credentials or the access.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrTooLarge: a response was longer than Options.MaxResponseBytes.
	ErrTooLarge = errors.New("response too large")
)

// HTTPError describes a request that failed: a status the operation did not
// expect (Status > 0), or a transport failure such as a timeout (Status 0,
// Err set). It never contains the password.
type HTTPError struct {
	Method string
	URL    string // without user info
	Status int    // 0 when no response arrived
	Body   string // the start of the response body, for the log
	Hint   string // what an admin should check, when there is something to say
	Err    error  // one of the Err… sentinels, or the transport error
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "caldav: %s %s: ", e.Method, e.URL)
	switch {
	case e.Status == 0 && e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		fmt.Fprintf(&b, "%d %s", e.Status, http.StatusText(e.Status))
	}
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	if e.Body != "" {
		b.WriteString(": " + e.Body)
	}
	return b.String()
}

func (e *HTTPError) Unwrap() error { return e.Err }

// statusError builds the error for an unexpected status of a request.
func (c *Client) statusError(method, u string, r *response) *HTTPError {
	e := &HTTPError{Method: method, URL: Redact(u), Status: r.status, Body: snippet(r.body)}
	switch r.status {
	case http.StatusUnauthorized:
		e.Err = ErrUnauthorized
		e.Hint = fmt.Sprintf("the server refused the login: check the username %q and the password configured for %s", c.opt.Username, Redact(u)) +
			providerHint(u)
	case http.StatusForbidden:
		if cond := precondition(r.body); cond != "" {
			e.Hint = "the server refused it: " + cond
			break
		}
		e.Err = ErrUnauthorized
		e.Hint = fmt.Sprintf("access denied: check that the username %q and its password are right for %s and that this account may use it", c.opt.Username, Redact(u))
	case http.StatusPreconditionFailed:
		e.Err = ErrPreconditionFailed
	case http.StatusNotFound, http.StatusGone:
		e.Err = ErrNotFound
	}
	return e
}

// providerHint says what the big hosted servers want instead of the
// account password, from the host of the refused URL.
func providerHint(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "icloud.com" || strings.HasSuffix(host, ".icloud.com"):
		return "; iCloud takes an app-specific password (Apple Account, Sign-In and Security), not the account password"
	case strings.HasSuffix(host, "fastmail.com") || strings.HasSuffix(host, "messagingengine.com"):
		return "; Fastmail takes an app password with CalDAV access (Settings, Privacy & Security), not the account password"
	case strings.HasSuffix(host, "google.com") || strings.HasSuffix(host, "googleusercontent.com"):
		return `; Google's CalDAV endpoint takes no passwords: configure this calendar with type = "google" instead`
	}
	return ""
}

// Redact drops user info (a password may be in a configured URL) and the
// query, for messages and for what is stored about a configured URL.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

// snippet returns the start of a body on one line, for error messages.
func snippet(body []byte) string {
	const max = 200
	s := string(body)
	if len(s) > max {
		s = s[:max] + "…"
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
