package calendars

import (
	"html"
	"regexp"
	"strings"
)

// The lines that delimit the agenda block inside an event description.
// Everything between them belongs to oneonone; everything outside them
// belongs to the people and is never changed.
const (
	AgendaStart = "——— 1:1 agenda (oneonone) ———"
	AgendaEnd   = "——— end of agenda ———"
)

// block is where one agenda block sits in a description, as byte offsets.
type block struct {
	start, end         int  // the whole block, markers included
	bodyStart, bodyEnd int  // between the markers
	html               bool // found in a description written as HTML
}

// SetAgendaBlock returns description with its agenda block holding body,
// and whether that changed anything. A description without a block gets
// one appended after the user's text, separated by a blank line.
//
// The text outside the block is kept byte for byte, also when the
// description came back as HTML (Google's web editor turns line breaks
// into <br>, links into <a>, may wrap the markers in tags or write
// &nbsp;): the markers are found in the text the HTML shows, the whole
// HTML between them is replaced by the new block rendered as HTML, and
// the HTML around it is left alone.
//
// A block is only ever a complete pair as oneonone writes it: a start
// marker, then an end marker, no marker between them. A lone marker (one
// typed or pasted by a person, or what is left when someone deleted the
// other), an end before a start, and markers nested in markers are the
// people's text: kept byte for byte, and a block is appended as if there
// were none. When a description holds several blocks, the first is
// updated and the others are removed.
//
// body is untrusted text (people's answers): it is escaped in HTML, and
// runs of three or more em dashes in it are shortened so that it can
// never end the block early or start another one.
func SetAgendaBlock(description, body string) (string, bool) {
	return setBlock(description, body, findBlocks(description, false), appendBlock)
}

// SetAgendaBlockHTML is SetAgendaBlock for text that is always HTML: the
// X-ALT-DESC;FMTTYPE=text/html that Outlook and Exchange show instead of
// the DESCRIPTION. The block is always HTML, and a new one goes at the
// end of the document's body (before </body>), the document around it
// kept byte for byte.
func SetAgendaBlockHTML(doc, body string) (string, bool) {
	return setBlock(doc, body, findBlocks(doc, true), insertHTMLBlock)
}

func setBlock(description, body string, blocks []block, add func(string, string) string) (string, bool) {
	var out string
	if len(blocks) == 0 {
		out = add(description, body)
	} else {
		b := blocks[0]
		// The block keeps its own line ends: the text around it may mix them.
		nl := newline(description[b.start:b.end])
		if !strings.Contains(description[b.start:b.end], "\n") {
			nl = newline(description)
		}
		out = description[:b.start] + renderBlock(body, b.html, nl) + removeBlocks(description[b.end:], b.end, blocks[1:])
	}
	return out, out != description
}

// AgendaBlock returns the body of the first agenda block in description
// (as text, also when the description is HTML), and whether there is one.
func AgendaBlock(description string) (body string, ok bool) {
	blocks := findBlocks(description, false)
	if len(blocks) == 0 {
		return "", false
	}
	b := blocks[0]
	var s string
	if b.html {
		s = project(description).between(b.bodyStart, b.bodyEnd)
	} else {
		s = strings.ReplaceAll(description[b.bodyStart:b.bodyEnd], "\r\n", "\n")
	}
	s = strings.TrimLeft(s, " \t")
	s = strings.TrimPrefix(s, "\n")
	return strings.TrimSuffix(s, "\n"), true
}

// RemoveAgendaBlock removes every agenda block from description, and the
// blank line that separated a block at its end from the user's text.
func RemoveAgendaBlock(description string) (string, bool) {
	out := removeBlocks(description, 0, findBlocks(description, false))
	return out, out != description
}

// RemoveAgendaBlockHTML is RemoveAgendaBlock for text that is always HTML
// (see SetAgendaBlockHTML).
func RemoveAgendaBlockHTML(doc string) (string, bool) {
	out := removeBlocks(doc, 0, findBlocks(doc, true))
	return out, out != doc
}

// removeBlocks cuts blocks out of s, which starts at offset off of the
// description the blocks were found in. When the last block ends the
// text, the line breaks before it go too.
func removeBlocks(s string, off int, blocks []block) string {
	if len(blocks) == 0 {
		return s
	}
	var sb strings.Builder
	prev := 0
	for _, b := range blocks {
		sb.WriteString(s[prev : b.start-off])
		prev = b.end - off
	}
	if onlyBreaks(s[prev:]) {
		return trimBreaks(sb.String())
	}
	sb.WriteString(s[prev:])
	return sb.String()
}

// onlyBreaks reports whether s holds nothing but white space and <br>.
func onlyBreaks(s string) bool { return trimBreaks(s) == "" }

// trimBreaks removes the white space and <br> tags that end s.
func trimBreaks(s string) string {
	for {
		t := strings.TrimRight(s, " \t\r\n\u00a0")
		if !strings.HasSuffix(t, ">") {
			return t
		}
		i := strings.LastIndexByte(t, '<')
		if n, name, closing := tagAt(t, max(i, 0)); i < 0 || n != len(t)-i || name != "br" || closing {
			return t
		}
		s = t[:i]
	}
}

// insertHTMLBlock puts a new block at the end of an HTML document's body,
// after a line break unless what comes before it already ends a line.
func insertHTMLBlock(doc, body string) string {
	at := len(doc)
	if i := lastIndexFold(doc, "</body"); i >= 0 {
		at = i
	}
	before := strings.TrimRight(doc[:at], " \t\r\n")
	sep := "<br>"
	if before == "" || endsLine.MatchString(before) {
		sep = ""
	}
	return doc[:at] + sep + renderBlock(body, true, newline(doc)) + doc[at:]
}

// endsLine matches HTML that ends with a line break or a block.
var endsLine = regexp.MustCompile(`(?i)(<br\s*/?>|</(p|div|ul|ol|li|table|h[1-6]|blockquote|pre)>|<body[^>]*>)$`)

// lastIndexFold is strings.LastIndex, ignoring ASCII case.
func lastIndexFold(s, sub string) int {
	return strings.LastIndex(strings.ToLower(s), strings.ToLower(sub))
}

func appendBlock(description, body string) string {
	nl := newline(description)
	isHTML := looksHTML(description)
	sep := ""
	switch {
	case description == "":
	case isHTML:
		sep = "<br><br>"
	case strings.HasSuffix(description, nl+nl):
	case strings.HasSuffix(description, "\n"):
		sep = nl
	default:
		sep = nl + nl
	}
	return description + sep + renderBlock(body, isHTML, nl)
}

// renderBlock writes the block: markers on lines of their own, the body
// between them.
func renderBlock(body string, isHTML bool, nl string) string {
	body = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(body)
	body = strings.TrimRight(shortenDashes(body), "\n")
	lines := []string{AgendaStart}
	if body != "" {
		lines = append(lines, strings.Split(body, "\n")...)
	}
	lines = append(lines, AgendaEnd)
	if !isHTML {
		return strings.Join(lines, nl)
	}
	for i := 1; i < len(lines)-1; i++ {
		lines[i] = html.EscapeString(lines[i])
	}
	return strings.Join(lines, "<br>")
}

// shortenDashes turns every run of three or more em dashes into two: the
// markers are the only place three follow each other.
func shortenDashes(s string) string {
	for strings.Contains(s, "———") {
		s = strings.ReplaceAll(s, "———", "——")
	}
	return s
}

func newline(s string) string {
	if strings.Contains(s, "\r\n") {
		return "\r\n"
	}
	return "\n"
}

// AgendaEdit puts body into the agenda block of an occurrence's texts
// (the description, and an HTML alternative description, which Outlook
// shows instead, where there is one); an empty body removes the block.
func AgendaEdit(body string) TextEdit {
	return TextEdit{
		Description: func(old string) (string, bool) {
			if body == "" {
				return RemoveAgendaBlock(old)
			}
			return SetAgendaBlock(old, body)
		},
		HTML: func(old string) (string, bool) {
			if body == "" {
				return RemoveAgendaBlockHTML(old)
			}
			return SetAgendaBlockHTML(old, body)
		},
	}
}
