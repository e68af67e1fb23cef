package config

import (
	"fmt"
	"strconv"
	"strings"
)

// keyLines maps the full path of every table header and key of a valid TOML
// document, with array indices as the decoder writes them
// ("calendar[1].url"), to the line it starts on. The toml package keeps key
// positions to itself, so this small scanner finds them again; it only has
// to tell keys from values, and it never fails: at worst a line is missing.
func keyLines(data []byte) map[string]int {
	s := &lineScanner{src: strings.TrimPrefix(string(data), "\ufeff"), line: 1,
		arrays: map[string]int{}, out: map[string]int{}}
	s.statements()
	return s.out
}

type lineScanner struct {
	src    string
	i      int
	line   int
	table  string         // the current table's path
	arrays map[string]int // array-of-tables path → elements seen so far
	out    map[string]int
}

func (s *lineScanner) peek(off int) byte {
	if s.i+off < len(s.src) {
		return s.src[s.i+off]
	}
	return 0
}

func (s *lineScanner) statements() {
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == '\n':
			s.line++
			s.i++
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case c == '#':
			s.skipComment()
		case c == '[':
			array := s.peek(1) == '['
			s.i++
			if array {
				s.i++
			}
			line := s.line
			s.table = s.resolve(s.keyPath(), array)
			s.record(s.table, line)
			for s.i < len(s.src) && s.src[s.i] == ']' {
				s.i++
			}
		default:
			line := s.line
			start := s.i
			path := s.table
			for _, k := range s.keyPath() {
				path = join(path, k)
				s.record(path, line)
			}
			if s.i == start {
				s.i++ // not a key: make progress whatever the input
			}
			s.skipValue()
		}
	}
}

func (s *lineScanner) record(path string, line int) {
	if _, ok := s.out[path]; !ok && path != "" {
		s.out[path] = line
	}
}

// resolve turns a header's keys into a path, indexing arrays of tables by
// their current element and, for [[header]], starting a new element.
func (s *lineScanner) resolve(keys []string, newElem bool) string {
	path := ""
	for i, k := range keys {
		path = join(path, k)
		n, isArray := s.arrays[path]
		switch {
		case newElem && i == len(keys)-1:
			s.arrays[path] = n + 1
			path = fmt.Sprintf("%s[%d]", path, n)
		case isArray:
			path = fmt.Sprintf("%s[%d]", path, n-1)
		}
	}
	return path
}

// keyPath reads a dotted key and the '=' after it, if any.
func (s *lineScanner) keyPath() []string {
	var keys []string
	for s.i < len(s.src) {
		s.skipBlanks()
		switch c := s.peek(0); {
		case c == '"' || c == '\'':
			start := s.i
			s.skipString()
			keys = append(keys, unquoteKey(s.src[start:s.i]))
		default:
			start := s.i
			for s.i < len(s.src) && isBare(s.src[s.i]) {
				s.i++
			}
			if s.i == start {
				return keys
			}
			keys = append(keys, s.src[start:s.i])
		}
		s.skipBlanks()
		switch s.peek(0) {
		case '.':
			s.i++
		case '=':
			s.i++
			return keys
		default:
			return keys
		}
	}
	return keys
}

// unquoteKey undoes a quoted key; TOML's escapes are a subset of Go's.
func unquoteKey(raw string) string {
	if len(raw) < 2 {
		return ""
	}
	if raw[0] == '"' {
		if k, err := strconv.Unquote(raw); err == nil {
			return k
		}
	}
	return raw[1 : len(raw)-1]
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (s *lineScanner) skipBlanks() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

func (s *lineScanner) skipComment() {
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
}

// skipValue skips to the end of the line that ends the current value;
// arrays and inline tables may span lines.
func (s *lineScanner) skipValue() {
	depth := 0
	for s.i < len(s.src) {
		switch c := s.src[s.i]; c {
		case '\n':
			if depth <= 0 {
				return
			}
			s.line++
			s.i++
		case '#':
			s.skipComment()
		case '"', '\'':
			s.skipString()
		case '[', '{':
			depth++
			s.i++
		case ']', '}':
			depth--
			s.i++
		default:
			s.i++
		}
	}
}

// skipString skips a basic, literal or multi-line string starting at s.i.
func (s *lineScanner) skipString() {
	q := s.src[s.i]
	delim := string(q)
	if strings.HasPrefix(s.src[s.i:], strings.Repeat(delim, 3)) {
		delim = strings.Repeat(delim, 3)
	}
	s.i += len(delim)
	defer func() { s.i = min(s.i, len(s.src)) }() // an escape at the very end
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == '\\' && q == '"':
			if s.peek(1) == '\n' {
				s.line++
			}
			s.i += 2
		case strings.HasPrefix(s.src[s.i:], delim):
			s.i += len(delim)
			// A multi-line string may end with up to two extra quotes.
			for n := 0; len(delim) == 3 && n < 2 && s.peek(0) == q; n++ {
				s.i++
			}
			return
		case c == '\n':
			if len(delim) == 1 {
				return
			}
			s.line++
			s.i++
		default:
			s.i++
		}
	}
}
