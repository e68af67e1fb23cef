package googletest

import (
	"regexp"
	"strings"
)

var (
	htmlTag    = regexp.MustCompile(`^</?(?i:a|b|i|u|p|br|ul|ol|li|span|div|strong|em|html-blob)(\s[^<>]*)?/?>`)
	htmlEntity = regexp.MustCompile(`^&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);`)
	bareURL    = regexp.MustCompile(`^https?://[^\s<>"]*[^\s<>".,;:!?)\]']`)
)

// webUIHTML rewrites a description the way Google Calendar's web UI stores
// it after a user edited it: line breaks become <br>, URLs become links and
// &, < and > are escaped. Markup and entities already present are kept, so
// rewriting HTML again leaves it unchanged.
func webUIHTML(s string) string {
	var b strings.Builder
	inLink := false
	for i := 0; i < len(s); {
		rest := s[i:]
		if m := htmlTag.FindString(rest); m != "" {
			lower := strings.ToLower(m)
			if strings.HasPrefix(lower, "<a ") || lower == "<a>" {
				inLink = true
			} else if strings.HasPrefix(lower, "</a") {
				inLink = false
			}
			b.WriteString(m)
			i += len(m)
			continue
		}
		if m := htmlEntity.FindString(rest); m != "" {
			b.WriteString(m)
			i += len(m)
			continue
		}
		if m := bareURL.FindString(rest); m != "" && !inLink {
			esc := escapeText(m)
			b.WriteString(`<a href="` + esc + `">` + esc + `</a>`)
			i += len(m)
			continue
		}
		i += writeChar(&b, s, i)
	}
	return b.String()
}

func writeChar(b *strings.Builder, s string, i int) int {
	switch s[i] {
	case '\r':
		if i+1 < len(s) && s[i+1] == '\n' {
			b.WriteString("<br>")
			return 2
		}
		b.WriteString("<br>")
	case '\n':
		b.WriteString("<br>")
	case '<':
		b.WriteString("&lt;")
	case '>':
		b.WriteString("&gt;")
	case '&':
		b.WriteString("&amp;")
	default:
		b.WriteByte(s[i])
	}
	return 1
}

func escapeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if m := htmlEntity.FindString(s[i:]); m != "" {
			b.WriteString(m)
			i += len(m)
			continue
		}
		i += writeChar(&b, s, i)
	}
	return b.String()
}
