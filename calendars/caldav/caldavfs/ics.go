package caldavfs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-ical"
)

// maxNesting bounds BEGIN/END nesting: go-ical's decoder recurses per level.
const maxNesting = 16

// parseICS parses one calendar object strictly enough to answer queries. It
// never panics: go-ical's decoder can, on some malformed input.
func parseICS(data []byte) (cal *ical.Calendar, err error) {
	defer func() {
		if v := recover(); v != nil {
			cal, err = nil, fmt.Errorf("invalid iCalendar: %v", v)
		}
	}()
	if err := checkNesting(data); err != nil {
		return nil, err
	}
	dec := ical.NewDecoder(bytes.NewReader(data))
	cal, err = dec.Decode()
	if err != nil {
		return nil, fmt.Errorf("invalid iCalendar: %w", err)
	}
	if _, err := dec.Decode(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid iCalendar: more than one VCALENDAR, or data after it")
	}
	if err := validate(cal); err != nil {
		return nil, fmt.Errorf("invalid calendar object: %w", err)
	}
	return cal, nil
}

// checkNesting rejects input nested deeper than maxNesting before it reaches
// the recursive decoder.
func checkNesting(data []byte) error {
	depth := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for sc.Scan() {
		line := strings.ToUpper(sc.Text())
		switch {
		case strings.HasPrefix(line, "BEGIN:"):
			if depth++; depth > maxNesting {
				return fmt.Errorf("invalid iCalendar: components nested deeper than %d", maxNesting)
			}
		case strings.HasPrefix(line, "END:"):
			depth--
		}
	}
	return sc.Err()
}

// validate applies RFC 4791 4.1 (one kind of component besides VTIMEZONE,
// one UID) and requires a UID. Unlike caldav.ValidateCalendarObject it lets
// a METHOD property through, as Radicale does.
func validate(cal *ical.Calendar) error {
	kind, uid := "", ""
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			continue
		}
		if kind != "" && c.Name != kind {
			return fmt.Errorf("both %s and %s in one calendar object", kind, c.Name)
		}
		kind = c.Name
		u, err := c.Props.Text(ical.PropUID)
		if err != nil || u == "" {
			return fmt.Errorf("a %s has no UID", kind)
		}
		if uid != "" && u != uid {
			return fmt.Errorf("two UIDs in one calendar object: %q and %q", uid, u)
		}
		uid = u
	}
	if kind == "" {
		return errors.New("no VEVENT, VTODO or VJOURNAL in the calendar")
	}
	return nil
}

// uidOf returns the UID of a validated calendar object.
func uidOf(cal *ical.Calendar) string {
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			continue
		}
		if uid, err := c.Props.Text(ical.PropUID); err == nil && uid != "" {
			return uid
		}
	}
	return ""
}

// conditionsHold evaluates If-Match and If-None-Match (raw header values, ""
// for absent) against the current state of a resource (RFC 9110 13.1).
func conditionsHold(exists bool, etag, ifMatch, ifNoneMatch string) bool {
	if ifMatch = strings.TrimSpace(ifMatch); ifMatch != "" {
		if !exists || (ifMatch != "*" && !listHas(ifMatch, etag, true)) {
			return false
		}
	}
	if ifNoneMatch = strings.TrimSpace(ifNoneMatch); ifNoneMatch != "" && exists {
		if ifNoneMatch == "*" || listHas(ifNoneMatch, etag, false) {
			return false
		}
	}
	return true
}

// listHas reports whether a comma-separated list of entity tags names etag.
// The strong comparison (If-Match) never matches a weak tag.
func listHas(list, etag string, strong bool) bool {
	for t := range strings.SplitSeq(list, ",") {
		t = strings.TrimSpace(t)
		if weak, ok := strings.CutPrefix(t, "W/"); ok {
			if strong {
				continue
			}
			t = weak
		}
		if strings.Trim(t, `"`) == etag {
			return true
		}
	}
	return false
}

// quote returns an ETag in its HTTP form.
func quote(etag string) string { return `"` + etag + `"` }
