package caldav

import (
	"net/url"
	"strings"
)

// hrefOf turns an href from a response into the form this package returns:
// an absolute path when it is on the client's server, else a full URL (a
// calendar home may live on another host). Relative hrefs resolve against
// the URL the response came from.
func (c *Client) hrefOf(raw string, against *url.URL) (string, *url.URL, error) {
	r, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", nil, err
	}
	u := against.ResolveReference(r)
	if sameOrigin(u, c.base) {
		return u.EscapedPath(), u, nil
	}
	return u.String(), u, nil
}

// pathKey identifies a resource independently of how its path is escaped
// and of a trailing slash, for matching one answer's href with another's.
func pathKey(u *url.URL) string {
	p := strings.TrimSuffix(u.Path, "/")
	return strings.ToLower(u.Host) + p
}

// quoteETag returns an ETag in the form an If-Match header needs. Values from
// servers are kept as sent (quotes included); some servers send them
// unquoted, which HTTP does not allow in If-Match.
func quoteETag(etag string) string {
	e := strings.TrimSpace(etag)
	if strings.HasPrefix(e, `"`) || strings.HasPrefix(e, `W/"`) || e == "*" {
		return e
	}
	return `"` + strings.ReplaceAll(e, `"`, ``) + `"`
}

// fixLineEndings restores CRLF line ends: XML transport turns the CRLF of
// calendar-data into LF, and RFC 5545 requires CRLF.
// Leading white space (pretty-printed XML) is dropped.
func fixLineEndings(s string) []byte {
	s = strings.TrimLeft(s, " \t\r\n")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\n", "\r\n")
	return []byte(s)
}
