package ics

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// maxLine is the longest content line RFC 5545 3.1 allows, in octets,
// without the CRLF.
const maxLine = 75

// Encode writes components as iCalendar: CRLF line ends, lines folded at
// 75 octets without splitting a UTF-8 sequence, parameter values quoted
// when they hold ':', ';' or ','. Values are written as they are held
// (raw, still escaped); parameters in name order, since Prop keeps them in
// a map. Nothing is written when a component cannot be encoded: a value or
// parameter holding a line break would start a line of its own.
func Encode(w io.Writer, roots []*Component) error {
	var b bytes.Buffer
	for _, c := range roots {
		if err := encodeComponent(&b, c); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func encodeComponent(b *bytes.Buffer, c *Component) error {
	if !isName(c.Name) {
		return fmt.Errorf("ics: encode: component name %q", clip(c.Name))
	}
	writeFolded(b, "BEGIN:"+c.Name)
	for _, p := range c.Props {
		line, err := contentLine(p)
		if err != nil {
			return fmt.Errorf("ics: encode %s: %w", c.Name, err)
		}
		writeFolded(b, line)
	}
	for _, child := range c.Children {
		if err := encodeComponent(b, child); err != nil {
			return err
		}
	}
	writeFolded(b, "END:"+c.Name)
	return nil
}

// contentLine renders name;param=value…:value on one unfolded line.
func contentLine(p *Prop) (string, error) {
	if !isName(p.Name) {
		return "", fmt.Errorf("property name %q", clip(p.Name))
	}
	if strings.ContainsAny(p.Value, "\r\n") {
		return "", fmt.Errorf("property %s: value holds a line break", p.Name)
	}
	var sb strings.Builder
	sb.WriteString(p.Name)
	names := make([]string, 0, len(p.Params))
	for n := range p.Params {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !isName(n) {
			return "", fmt.Errorf("property %s: parameter name %q", p.Name, clip(n))
		}
		sb.WriteString(";" + n + "=")
		for i, v := range p.Params[n] {
			if strings.ContainsAny(v, "\r\n") {
				return "", fmt.Errorf("property %s: parameter %s holds a line break", p.Name, n)
			}
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(paramValue(v))
		}
	}
	sb.WriteByte(':')
	sb.WriteString(p.Value)
	return sb.String(), nil
}

// paramValue quotes a parameter value that holds a delimiter. A double
// quote cannot appear inside quotes; it is written as ^' (RFC 6868).
func paramValue(v string) string {
	if !strings.ContainsAny(v, ":;,") {
		return v
	}
	return `"` + strings.ReplaceAll(v, `"`, `^'`) + `"`
}

// isName reports whether s is an iana-token or x-name: letters, digits
// and '-' (and '_', which the reader also accepts).
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// writeFolded writes one content line, folded so that no physical line
// is longer than 75 octets: continuation lines start with a space, which
// counts towards their length.
func writeFolded(b *bytes.Buffer, line string) {
	limit := maxLine
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		if cut == 0 { // not UTF-8: cut anywhere rather than loop
			cut = limit
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLine - 1
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}
