package config

import (
	"fmt"
	"strings"
)

// Error is one problem in a config file.
type Error struct {
	// Key is the full dotted path of the key, with array indices counted
	// from 0 ("calendar[1].url", "detect.include_titles[2]"); "" for a
	// problem of the whole file.
	Key string
	// Line is the key's line in the file, or its enclosing table's when the
	// key is missing; 0 when unknown.
	Line int
	// Msg says what is wrong and, after " — ", what to do.
	Msg string
}

func (e Error) Error() string {
	switch {
	case e.Key != "" && e.Line > 0:
		return fmt.Sprintf("%s (line %d): %s", e.Key, e.Line, e.Msg)
	case e.Key != "":
		return e.Key + ": " + e.Msg
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Errors is every problem found in one config file, in the order of their
// lines; problems of missing top-level keys come first.
type Errors struct {
	File string // set by Load
	List []Error
}

// Error prints one problem per line.
func (e *Errors) Error() string {
	lines := make([]string, len(e.List))
	for i, p := range e.List {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find a single Error.
func (e *Errors) Unwrap() []error {
	errs := make([]error, len(e.List))
	for i, p := range e.List {
		errs[i] = p
	}
	return errs
}

// problems collects Errors during decoding and validation.
type problems struct {
	list  []Error
	lines map[string]int
	// bad holds keys that failed to decode or read, so that later checks do
	// not report them, or keys inside them, a second time.
	bad map[string]bool
}

func (p *problems) add(key, format string, args ...any) {
	for k := key; k != ""; k = parentKey(k) {
		if p.bad[k] {
			return
		}
	}
	p.list = append(p.list, Error{Key: key, Line: p.line(key), Msg: fmt.Sprintf(format, args...)})
}

// fail adds a problem and keeps later checks from reporting key again.
func (p *problems) fail(key, format string, args ...any) {
	p.add(key, format, args...)
	p.bad[key] = true
}

// line finds key's line, or that of the nearest enclosing key or table that
// has one (a key inside an inline table, or a missing key).
func (p *problems) line(key string) int {
	for key != "" {
		if n, ok := p.lines[key]; ok {
			return n
		}
		key = parentKey(key)
	}
	return 0
}

// parentKey strips the last name or index: "calendar[1].url" →
// "calendar[1]" → "calendar" → "".
func parentKey(key string) string {
	if i := strings.LastIndexAny(key, ".["); i >= 0 {
		return key[:i]
	}
	return ""
}

// suggest returns the known name closest to name, or "" when none is close
// enough to be a likely typo.
func suggest(name string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(name, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if bestDist*2 >= len(name) {
		return "" // too short for a confident guess
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// Levenshtein plus transpositions, the commonest typo ("nmae").
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
