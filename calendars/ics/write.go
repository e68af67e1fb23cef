package ics

import "strings"

// Helpers for adapters that render an API's events as iCalendar text
// line by line (Encode is for parsed components).

// Line writes the content line l and its CRLF.
func Line(b *strings.Builder, l string) {
	b.WriteString(l)
	b.WriteString("\r\n")
}

// TextProp writes the TEXT property name: v, unless v is empty.
func TextProp(b *strings.Builder, name, v string) {
	if v != "" {
		Line(b, name+":"+TextValue(v))
	}
}

// TextValue escapes a TEXT value (backslash, semicolon, comma, newlines)
// after dropping the control characters that have no place in it.
func TextValue(v string) string { return EscapeText(dropControls(v)) }

// CN is a quoted CN parameter (";CN=\"name\"", "" for no name); a
// parameter value cannot hold a double quote or a line break, so those
// are replaced.
func CN(name string) string {
	name = strings.TrimSpace(paramSafe.Replace(dropControls(name)))
	if name == "" {
		return ""
	}
	return `;CN="` + name + `"`
}

var paramSafe = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ", "\t", " ", `"`, "'")

// Mailto is the mailto: URI of email, without what cannot be in an
// address (controls, spaces); the engine's strict check then judges what
// is left.
func Mailto(email string) string {
	return "mailto:" + strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, email)
}

// dropControls drops control characters but tab and line breaks.
func dropControls(v string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, v)
}
