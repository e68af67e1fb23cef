// Package ics reads and writes iCalendar (RFC 5545) content lines and
// components. It is deliberately forgiving: real calendars arrive with
// broken folding, bad escapes, Latin-1 bytes and unbalanced BEGIN/END, and
// one bad line must not cost a user the rest of the file. Every problem is
// reported with its line number; nothing panics.
//
// go-ical's decoder is not used for reading: it stops at the first error,
// keeps no line numbers, and panics on some malformed parameters.
package ics

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Prop is one content line.
type Prop struct {
	Name   string              // upper case
	Params map[string][]string // names upper case; values unquoted
	Value  string              // raw, still escaped
	Line   int                 // 1-based line where the property starts
}

// Param returns the first value of a parameter, or "".
func (p *Prop) Param(name string) string {
	if v := p.Params[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Component is a BEGIN/END block.
type Component struct {
	Name     string // upper case
	Line     int    // line of BEGIN
	Props    []*Prop
	Children []*Component
	// Size is the bytes of its unfolded content lines, BEGIN to END,
	// children included: what the component costs to hold.
	Size int
}

// Prop returns the first property with the name, or nil.
func (c *Component) Prop(name string) *Prop {
	for _, p := range c.Props {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// All returns every property with the name, in file order.
func (c *Component) All(name string) []*Prop {
	var ps []*Prop
	for _, p := range c.Props {
		if p.Name == name {
			ps = append(ps, p)
		}
	}
	return ps
}

// Problem is something wrong in the input, with the line it was found on.
type Problem struct {
	Line int
	Msg  string
	// Limit is set when the input went over a limit that bounds what it
	// may cost (MaxDepth).
	Limit bool
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Msg) }

// line is one unfolded logical line.
type line struct {
	text string
	num  int
}

// unfold splits data into logical lines, joining continuation lines that
// start with a space or tab, and mending two kinds of damage: bytes that
// are not UTF-8 (read as Latin-1, as the software that writes them means
// them) and lines that are not content lines at all (a fold whose leading
// space was lost: joined to the line before). Its cost is linear in the
// input: a megabyte DESCRIPTION folded into thousands of lines is joined
// once, not copied once per fold.
func unfold(data []byte) ([]line, []Problem) {
	var probs []Problem
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var logical []line
	var cur joiner
	num := 0
	for len(data) > 0 {
		num++
		var raw []byte
		raw, data = cutLine(data)
		text := string(raw)
		if !utf8.ValidString(text) {
			text = latin1(raw)
			probs = append(probs, Problem{Line: num, Msg: "bytes that are not UTF-8; read as Latin-1"})
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if (text[0] == ' ' || text[0] == '\t') && cur.open {
			cur.add(text[1:])
			continue
		}
		logical = cur.flush(logical)
		cur.start(strings.TrimLeft(text, " \t"), num)
	}
	logical = cur.flush(logical)
	var out []line
	for _, l := range logical {
		if !looksLikeContentLine(l.text) && cur.open {
			probs = append(probs, Problem{Line: l.num, Msg: "not a content line (a folded line without its leading space?); joined to the line before"})
			cur.add(l.text)
			continue
		}
		out = cur.flush(out)
		cur.start(l.text, l.num)
	}
	return cur.flush(out), probs
}

// joiner builds one logical line from its pieces; a line of one piece
// (most lines) is kept as it is, without a copy.
type joiner struct {
	first string
	sb    strings.Builder
	num   int
	open  bool
	many  bool
}

func (j *joiner) start(text string, num int) {
	j.first, j.num, j.open, j.many = text, num, true, false
}

func (j *joiner) add(text string) {
	if !j.many {
		j.sb.Reset()
		j.sb.WriteString(j.first)
		j.many = true
	}
	j.sb.WriteString(text)
}

// flush appends the line being built, if any, to lines.
func (j *joiner) flush(lines []line) []line {
	if !j.open {
		return lines
	}
	j.open = false
	text := j.first
	if j.many {
		text = j.sb.String()
	}
	return append(lines, line{text: text, num: j.num})
}

func cutLine(data []byte) (line, rest []byte) {
	i := bytes.IndexAny(data, "\r\n")
	if i < 0 {
		return data, nil
	}
	line, rest = data[:i], data[i+1:]
	if data[i] == '\r' && len(rest) > 0 && rest[0] == '\n' {
		rest = rest[1:]
	}
	return line, rest
}

func latin1(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			sb.WriteRune(rune(b[0]))
			b = b[1:]
			continue
		}
		sb.WriteRune(r)
		b = b[size:]
	}
	return sb.String()
}

// looksLikeContentLine reports whether s starts with a property name
// (letters, digits, '-') followed by ';' or ':'.
func looksLikeContentLine(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			continue
		case c == ';' || c == ':':
			return i > 0
		default:
			return false
		}
	}
	return false
}
