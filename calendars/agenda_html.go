package calendars

import (
	"html"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Finding the agenda block in descriptions that came back as HTML
// (Google's web UI rewrites them).

// htmlHint matches what only HTML text holds: common tags and entities.
var htmlHint = regexp.MustCompile(`(?i)<(br|p|div|span|a|b|i|u|em|strong|ul|ol|li|font|html|body)[\s/>]|</[a-z][a-z0-9]*>|&(nbsp|amp|lt|gt|quot|#[0-9]+|#x[0-9a-f]+);`)

func looksHTML(s string) bool { return htmlHint.MatchString(s) }

// projection is the text an HTML description shows, each rune with the
// bytes of the source it came from: tags dropped (<br> and the end of a
// paragraph read as a line break), entities decoded. Line breaks of the
// source become '\r', which the shown text leaves out and no marker
// matches across: the markers are never split over source lines, and text
// appended after a description must not complete a marker begun in it.
type projection struct {
	text       []rune
	start, end []int
}

func project(s string) *projection {
	p := &projection{}
	for i := 0; i < len(s); {
		if n, name, closing := tagAt(s, i); n > 0 {
			if name == "br" || closing && (name == "p" || name == "div" || name == "li") {
				p.add('\n', i, i+n)
			}
			i += n
			continue
		}
		if n, r := entityAt(s, i); n > 0 {
			p.add(r, i, i+n)
			i += n
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '\n' {
			r = '\r'
		}
		p.add(r, i, i+n)
		i += n
	}
	return p
}

func (p *projection) add(r rune, start, end int) {
	p.text = append(p.text, r)
	p.start = append(p.start, start)
	p.end = append(p.end, end)
}

// find returns the source bytes of the first match of marker at or after
// source offset pos. A space in the marker matches any run of spaces,
// tabs and no-break spaces.
func (p *projection) find(marker string, pos int) (start, end int, ok bool) {
	m := []rune(marker)
	for i := sort.SearchInts(p.start, pos); i < len(p.text); i++ {
		if p.text[i] != m[0] {
			continue
		}
		if j, ok := p.matchAt(m, i); ok {
			return p.start[i], p.end[j-1], true
		}
	}
	return 0, 0, false
}

func (p *projection) matchAt(m []rune, i int) (int, bool) {
	j := i
	for _, r := range m {
		if r != ' ' {
			if j >= len(p.text) || p.text[j] != r {
				return 0, false
			}
			j++
			continue
		}
		k := j
		for k < len(p.text) && isBlank(p.text[k]) {
			k++
		}
		if k == j {
			return 0, false
		}
		j = k
	}
	return j, true
}

func isBlank(r rune) bool { return r == ' ' || r == '\t' || r == '\u00a0' }

// between returns the shown text of the source bytes [from, to).
func (p *projection) between(from, to int) string {
	var sb strings.Builder
	for i, r := range p.text {
		if p.start[i] >= from && p.end[i] <= to && r != '\r' {
			if r == '\u00a0' {
				r = ' '
			}
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// tagAt reads an HTML tag starting at s[i]: its length, lower-case name,
// and whether it is a closing tag. A '<' that starts no tag gives 0.
func tagAt(s string, i int) (n int, name string, closing bool) {
	if s[i] != '<' || i+1 >= len(s) {
		return 0, "", false
	}
	j := i + 1
	if s[j] == '/' {
		closing = true
		j++
	}
	k := j
	for k < len(s) && (isASCIILetter(s[k]) || k > j && s[k] >= '0' && s[k] <= '9') {
		k++
	}
	if k == j {
		return 0, "", false
	}
	// Stopping at the next '<' keeps reading every tag of a text linear.
	end := strings.IndexAny(s[k:], "<>")
	if end < 0 || s[k+end] != '>' {
		return 0, "", false
	}
	return k + end + 1 - i, strings.ToLower(s[j:k]), closing
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// entityAt decodes a character reference (&amp; &#8212; &#x2014;) at s[i].
func entityAt(s string, i int) (int, rune) {
	if s[i] != '&' {
		return 0, 0
	}
	end := strings.IndexByte(s[i:min(len(s), i+12)], ';')
	if end < 2 {
		return 0, 0
	}
	ref := s[i : i+end+1]
	dec := html.UnescapeString(ref)
	if dec == ref {
		return 0, 0
	}
	r, size := utf8.DecodeRuneInString(dec)
	if size != len(dec) {
		return 0, 0
	}
	return len(ref), r
}

var voidTags = map[string]bool{"br": true, "img": true, "hr": true, "wbr": true, "input": true, "meta": true, "link": true}

// balanceTags widens a block found in HTML so that it takes the tags that
// wrap its markers along: opening tags right before the start marker, and
// the closing tags right after the end marker that close tags opened
// inside the block.
func balanceTags(s string, start, end int) (int, int) {
	for start > 0 && s[start-1] == '>' {
		j := strings.LastIndexByte(s[:start-1], '<')
		if j < 0 {
			break
		}
		n, name, closing := tagAt(s, j)
		if n != start-j || closing || voidTags[name] {
			break
		}
		start = j
	}
	depth := tagDepth(s[start:end])
	for end < len(s) {
		n, name, closing := tagAt(s, end)
		if n == 0 || !closing || depth[name] <= 0 {
			break
		}
		depth[name]--
		end += n
	}
	return start, end
}

// tagDepth counts, per tag name, the tags s opens minus those it closes.
func tagDepth(s string) map[string]int {
	d := map[string]int{}
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		n, name, closing := tagAt(s, i)
		switch {
		case n == 0 || voidTags[name] || strings.HasSuffix(s[i:i+n], "/>"):
			continue
		case closing:
			d[name]--
		default:
			d[name]++
		}
		i += n - 1
	}
	return d
}
