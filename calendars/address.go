package calendars

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// NormalizeEmail turns "MAILTO:Ada@Example.COM " into "ada@example.com".
// A mailto: URI is decoded as RFC 6068 says (percent-encoding undone), and
// an internationalized domain becomes its ASCII form (xn--…), the form
// every SMTP server takes. It does not judge the result: CheckEmail does,
// so that a malformed address is reported rather than quietly repaired.
func NormalizeEmail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
		if dec, err := url.PathUnescape(s); err == nil {
			s = dec
		}
	}
	s = strings.TrimSpace(s)
	if at := strings.LastIndexByte(s, '@'); at >= 0 && !isASCII(s[at+1:]) {
		if d, err := idna.Lookup.ToASCII(s[at+1:]); err == nil {
			s = s[:at+1] + d
		}
	}
	return strings.ToLower(s)
}

// localSpecials are the characters besides letters, digits and dots that
// a local part may hold: RFC 5322's atext without "%", which only ever
// appears in percent-encoded junk and in source routes (user%host@relay)
// that turn a mail server into a relay.
const localSpecials = "!#$&'*+-/=?^_`{|}~"

// CheckEmail reports why s, a normalized address, is not a plain RFC 5322
// addr-spec that mail may be sent to: exactly one "@", a dot-atom local
// part (no quotes, comments, display name, commas or percent signs), and
// a domain name of letters, digits and hyphens with at least two labels.
// Addresses come from calendars that anyone can put an event into, so
// whatever a mail server might read as a second recipient is refused.
func CheckEmail(s string) error {
	switch {
	case s == "":
		return errors.New("empty address")
	case len(s) > 254:
		return errors.New("longer than 254 characters")
	case strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		return errors.New("contains a space, line break or control character")
	case !isASCII(s):
		return errors.New("non-ASCII characters (internationalized mailboxes are not supported)")
	case strings.Count(s, "@") == 0:
		return errors.New("no @")
	case strings.Count(s, "@") > 1:
		return errors.New("more than one @")
	}
	at := strings.IndexByte(s, '@')
	if err := checkLocal(s[:at]); err != nil {
		return err
	}
	return checkDomain(s[at+1:])
}

func checkLocal(l string) error {
	switch {
	case l == "":
		return errors.New("empty local part before the @")
	case len(l) > 64:
		return errors.New("local part longer than 64 characters")
	case strings.HasPrefix(l, `"`):
		return errors.New("quoted local part")
	case strings.HasPrefix(l, ".") || strings.HasSuffix(l, ".") || strings.Contains(l, ".."):
		return errors.New("local part starts or ends with a dot, or has two in a row")
	}
	for _, c := range []byte(l) {
		if !isAlnum(c) && c != '.' && strings.IndexByte(localSpecials, c) < 0 {
			return fmt.Errorf("character %q in the local part", c)
		}
	}
	return nil
}

func checkDomain(d string) error {
	switch {
	case d == "":
		return errors.New("empty domain after the @")
	case strings.HasPrefix(d, "["):
		return errors.New("address literal instead of a domain name")
	case len(d) > 253:
		return errors.New("domain longer than 253 characters")
	case strings.HasSuffix(d, "."):
		return errors.New("domain ends with a dot")
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return fmt.Errorf("domain %q has no dot", d)
	}
	for _, l := range labels {
		if err := checkLabel(l); err != nil {
			return fmt.Errorf("domain %q: %w", d, err)
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return fmt.Errorf("domain %q: all-numeric top-level label", d)
	}
	return nil
}

func checkLabel(l string) error {
	switch {
	case l == "":
		return errors.New("empty label")
	case len(l) > 63:
		return errors.New("label longer than 63 characters")
	case l[0] == '-' || l[len(l)-1] == '-':
		return errors.New("label starts or ends with a hyphen")
	}
	for _, c := range []byte(l) {
		if !isAlnum(c) && c != '-' {
			return fmt.Errorf("character %q", c)
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
