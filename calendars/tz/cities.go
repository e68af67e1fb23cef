package tz

import (
	"strings"
	"time"
	"unicode"
)

// displayIndex is displayNames keyed by displayKey of the label body.
var displayIndex = func() map[string]string {
	m := make(map[string]string, len(displayNames))
	for label, iana := range displayNames {
		_, _, body := splitDisplay(label)
		m[displayKey(body)] = iana
	}
	return m
}()

// splitDisplay separates a "(UTC+01:00)" or "(GMT+01.00)" prefix from the
// rest of a Windows display name. hasOff is false when there is no prefix.
func splitDisplay(s string) (off int, hasOff bool, body string) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") {
		return 0, false, s
	}
	end := strings.IndexByte(s, ')')
	if end < 0 {
		return 0, false, s
	}
	off, ok := parseOffsetName(s[1:end])
	if !ok {
		return 0, false, s
	}
	return off, true, strings.TrimSpace(s[end+1:])
}

var foldDiacritics = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "í", "i", "ì", "i", "î", "i", "ï", "i",
	"ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o", "ú", "u", "ù", "u", "û", "u", "ü", "u",
	"ç", "c", "ñ", "n", "Á", "A", "É", "E", "Í", "I", "Ó", "O", "Ö", "O", "Ú", "U", "Ü", "U",
)

// displayKey reduces a display-name body to its words, so that the spellings
// seen in the wild meet: "(US & Canada)" and "(US and Canada)", "Amsterdam /
// Berlin" and "Amsterdam, Berlin", "Brasília" and "Brasilia", "Pacific Time
// (US & Canada); Tijuana" and "Pacific Time (US & Canada), Tijuana".
func displayKey(body string) string {
	words := strings.FieldsFunc(strings.ToLower(foldDiacritics.Replace(body)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := words[:0]
	for _, w := range words {
		if w != "and" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

func lookupDisplay(name string) (string, bool) {
	_, _, body := splitDisplay(name)
	iana, ok := displayIndex[displayKey(body)]
	return iana, ok
}

// cityRegions are the tz database areas a bare city name is tried in.
var cityRegions = []string{
	"Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic",
	"Indian", "Antarctica", "Arctic", "America/Argentina", "America/Indiana",
	"America/Kentucky", "America/North_Dakota",
}

// lookupCity is the fallback for display names no table knows (localized
// Windows, renamed zones): the cities it lists are looked up as tz database
// names, and when the name carries an offset prefix the zone must observe
// that offset, so "(UTC+07:00) Bangkok, Hanoi, Jakarta" cannot land on a
// same-named city elsewhere.
func lookupCity(name string) (string, bool) {
	off, hasOff, body := splitDisplay(name)
	for _, piece := range strings.FieldsFunc(body, func(r rune) bool { return strings.ContainsRune(",;/:", r) }) {
		city := cityName(piece)
		if city == "" {
			continue
		}
		for _, cand := range cityCandidates(city) {
			loc, ok := loadIANA(cand)
			if ok && (!hasOff || observes(loc, off)) {
				return cand, true
			}
		}
	}
	return "", false
}

// cityName turns "Yangon (Rangoon)" into "Yangon" and "Kuala Lumpur" into
// "Kuala_Lumpur"; it returns "" for pieces that cannot be a city.
func cityName(piece string) string {
	if i := strings.IndexByte(piece, '('); i >= 0 {
		piece = piece[:i]
	}
	piece = strings.Trim(foldDiacritics.Replace(piece), " .-")
	if len(piece) < 3 || len(piece) > 32 || strings.ContainsAny(piece, "0123456789+") {
		return ""
	}
	if r := rune(piece[0]); !unicode.IsUpper(r) {
		return ""
	}
	return strings.ReplaceAll(piece, " ", "_")
}

func cityCandidates(city string) []string {
	out := make([]string, 0, len(cityRegions)+1)
	for _, r := range cityRegions {
		out = append(out, r+"/"+city)
	}
	// Some places are zones of their own ("Singapore", "Japan"); all-caps
	// words are left out because those are abbreviations (EST, MST).
	if strings.ToUpper(city) != city {
		out = append(out, city)
	}
	return out
}

// observes reports whether loc uses offset at the start or middle of the
// current year, i.e. as its standard or its daylight offset.
func observes(loc *time.Location, offset int) bool {
	y := time.Now().Year()
	for _, m := range []time.Month{time.January, time.July} {
		if _, o := time.Date(y, m, 1, 12, 0, 0, 0, time.UTC).In(loc).Zone(); o == offset {
			return true
		}
	}
	return false
}
