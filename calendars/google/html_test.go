package google

import (
	"html"
	"regexp"
	"strings"
)

var (
	htmlMarkup = regexp.MustCompile(`(?i)<(br|p|div|a|b|i|u|ul|ol|li|span|strong|em|html-blob)(\s[^<>]*)?/?>|&(amp|lt|gt|quot|nbsp|#[0-9]+|#x[0-9a-f]+);`)
	htmlTag    = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?/?>`)
)

// LooksLikeHTML reports whether a description is markup, as Google
// Calendar's web UI stores a description after someone edited it there,
// rather than plain text.
func LooksLikeHTML(s string) bool { return htmlMarkup.MatchString(s) }

// HTMLToText turns an HTML description back into the text it shows:
// <br> becomes a newline, paragraphs and other blocks start on a new
// line, list items become "- " lines, links their text, entities their
// characters. Plain text is returned unchanged.
func HTMLToText(s string) string {
	if !LooksLikeHTML(s) {
		return s
	}
	var b strings.Builder
	blockBreak := false // the last newline was added by block markup
	newLine := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
			blockBreak = true
		}
	}
	for s != "" {
		loc := htmlTag.FindStringSubmatchIndex(s)
		if loc == nil {
			loc = []int{len(s), len(s), 0, 0, 0, 0}
		}
		if loc[0] > 0 {
			b.WriteString(strings.ReplaceAll(html.UnescapeString(s[:loc[0]]), "\u00a0", " "))
			blockBreak = false
		}
		if loc[0] == len(s) {
			break
		}
		switch name := strings.ToLower(s[loc[4]:loc[5]]); {
		case name == "br":
			b.WriteByte('\n')
			blockBreak = false
		case name == "li" && loc[3] == loc[2]: // <li>, not </li>
			newLine()
			b.WriteString("- ")
			blockBreak = false
		case block[name]:
			newLine()
		}
		s = s[loc[1]:]
	}
	out := b.String()
	if blockBreak {
		out = strings.TrimSuffix(out, "\n")
	}
	return out
}

var block = map[string]bool{"p": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "pre": true}
