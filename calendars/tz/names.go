package tz

import (
	"strings"
	"time"
)

// cleanName strips what calendar software wraps around a zone name: spaces,
// quotes (also unbalanced ones, when a parser swallowed the closing quote),
// iCalendar TEXT escapes ("Kuala Lumpur\, Singapore") and the trailing colon
// Thunderbird leaves behind ("Pacific Standard Time:").
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, `"'`)
	if strings.Contains(s, `\`) {
		s = strings.NewReplacer(`\,`, ",", `\;`, ";", `\\`, `\`, `\:`, ":").Replace(s)
	}
	s = strings.TrimRight(strings.TrimSpace(s), ":")
	return strings.TrimSpace(s)
}

// loadIANA loads name from the tz database. It refuses the two names that
// LoadLocation answers without consulting the database ("" is UTC, "Local" is
// the host's zone): neither is what a calendar meant.
func loadIANA(name string) (*time.Location, bool) {
	if name == "" || name == "Local" || len(name) > 64 {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}

// lookupIANA finds an IANA name inside a vendor wrapper such as
// "/mozilla.org/20050126_1/Europe/Berlin" or
// "/softwarestudio.org/Tzfile/America/Chicago". Vendors differ in how many
// path segments they prepend, so the longest loadable suffix wins.
func lookupIANA(name string) (*time.Location, string, bool) {
	if loc, ok := loadIANA(name); ok {
		return loc, name, true
	}
	// A parser that missed the closing quote of TZID="Europe/Berlin" hands
	// over the value too: "Europe/Berlin:20200609T090000".
	if i := strings.IndexByte(name, ':'); i > 0 {
		if loc, ok := loadIANA(name[:i]); ok {
			return loc, name[:i], true
		}
	}
	if !strings.HasPrefix(name, "/") {
		return nil, "", false
	}
	parts := strings.Split(strings.Trim(name, "/"), "/")
	for i := 1; i < len(parts); i++ {
		suffix := strings.Join(parts[i:], "/")
		if loc, ok := loadIANA(suffix); ok {
			return loc, suffix, true
		}
	}
	return nil, "", false
}

// lookupMangled undoes the separators some exporters substitute for the
// slash ("Europe_Berlin", "US-Eastern"). It only runs on names without a
// slash, so real names like "America/Port-au-Prince" are never touched.
func lookupMangled(name string) (string, bool) {
	if strings.Contains(name, "/") {
		return "", false
	}
	i := strings.IndexAny(name, "_-")
	if i <= 0 {
		return "", false
	}
	cand := name[:i] + "/" + name[i+1:]
	if _, ok := loadIANA(cand); ok {
		return cand, true
	}
	return "", false
}

// windowsIndex is windowsZones plus the legacy ids, keyed in lower case:
// "tzone://Microsoft/Utc" shows that writers do not keep the case.
var windowsIndex = func() map[string]string {
	m := make(map[string]string, len(windowsZones)+len(legacyWindowsZones))
	for _, src := range []map[string]string{legacyWindowsZones, windowsZones} {
		for id, iana := range src {
			m[strings.ToLower(id)] = iana
		}
	}
	return m
}()

// lookupWindows maps a Windows zone id to IANA. Besides the bare id it
// accepts Exchange's "tzone://Microsoft/<id>" form and an id followed by a
// colon and junk, which is what a parser makes of a missing closing quote
// (`TZID="W. Europe Standard Time:20200609T090000`).
func lookupWindows(name string) (string, bool) {
	name = strings.TrimPrefix(name, "tzone://Microsoft/")
	if iana, ok := windowsIndex[strings.ToLower(name)]; ok {
		return iana, true
	}
	if i := strings.IndexByte(name, ':'); i > 0 {
		iana, ok := windowsIndex[strings.ToLower(strings.TrimSpace(name[:i]))]
		return iana, ok
	}
	return "", false
}

// parseOffsetName reads Exchange's offset-style TZIDs ("UTC+01", "GMT+0100",
// "UTC-05:30"). The sign is read as people read it (UTC+01 is one hour east),
// not inverted as in the tz database's Etc/GMT+1, which lookupIANA has
// already handled by the time this runs.
func parseOffsetName(name string) (int, bool) {
	up := strings.ToUpper(strings.TrimSpace(name))
	rest, ok := strings.CutPrefix(up, "UTC")
	if !ok {
		rest, ok = strings.CutPrefix(up, "GMT")
	}
	if !ok {
		return 0, false
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return 0, true
	}
	return parseHumanOffset(rest)
}

// parseHumanOffset reads "+1", "+01", "+0100", "+01:00", "+01.00", "-5:30".
func parseHumanOffset(s string) (int, bool) {
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	digits := strings.NewReplacer(":", "", ".", "").Replace(s[1:])
	if len(digits) == 1 || len(digits) == 3 {
		digits = "0" + digits
	}
	if len(digits) == 2 {
		digits += "00"
	}
	if len(digits) != 4 || !allDigits(digits) {
		return 0, false
	}
	h := int(digits[0]-'0')*10 + int(digits[1]-'0')
	m := int(digits[2]-'0')*10 + int(digits[3]-'0')
	if h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
