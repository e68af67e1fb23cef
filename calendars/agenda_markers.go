package calendars

import (
	"sort"
	"strings"
)

// Finding the agenda blocks of a description: the markers in it, and
// which of them pair up into blocks oneonone wrote.

// marker is one agenda marker found in a description.
type marker struct {
	isEnd      bool
	start, end int  // source bytes
	raw        bool // written as plain text, not through tags or entities
	plainStart bool // a start marker that opens a plain text block
}

// findBlocks returns the blocks of s in order. A block is a start marker
// followed by an end marker with no other marker between them: that is
// how oneonone writes it. Every other marker is the people's text and
// is left alone: a lone start or end marker, an end before a start, and
// a pair wrapped in another start and end (markers nested in markers).
// forceHTML reads s as an HTML document (see markers).
func findBlocks(s string, forceHTML bool) []block {
	ms := markers(s, forceHTML)
	var out []block
	for i := 0; i+1 < len(ms); i++ {
		st, en := ms[i], ms[i+1]
		if st.isEnd || !en.isEnd {
			continue
		}
		if i > 0 && !ms[i-1].isEnd && i+2 < len(ms) && ms[i+2].isEnd {
			continue // nested
		}
		if st.plainStart {
			out = append(out, block{start: st.start, bodyStart: st.end, bodyEnd: en.start, end: en.end})
		} else {
			b := block{start: st.start, bodyStart: st.end, bodyEnd: en.start, end: en.end, html: true}
			b.start, b.end = balanceTags(s, b.start, b.end)
			out = append(out, b)
		}
		i++
	}
	return out
}

// markers lists the markers of s in order. A start marker written as
// plain text opens a plain text block when a line break follows it or
// the description does not look like HTML; up to the next plain marker,
// the text is then read as plain text, so that answers inside a plain
// block (which may hold "&amp;" or "<br>", even a marker written with
// entities) are never read as HTML. Anything else is looked for in the
// text the HTML shows. A document that is HTML by its type (forceHTML)
// has no plain blocks.
func markers(s string, forceHTML bool) []marker {
	all := rawMarkers(s)
	isHTML := forceHTML || looksHTML(s)
	if isHTML {
		all = mergeMarkers(all, shownMarkers(s))
	}
	var out []marker
	for i := 0; i < len(all); i++ {
		m := all[i]
		if m.raw && !m.isEnd {
			rest := strings.TrimLeft(s[m.end:], " \t")
			m.plainStart = !forceHTML && (rest == "" || rest[0] == '\n' || rest[0] == '\r' || !isHTML)
		}
		out = append(out, m)
		if m.plainStart {
			for i+1 < len(all) && !all[i+1].raw {
				i++
			}
		}
	}
	return out
}

// rawMarkers finds the markers written as plain text.
func rawMarkers(s string) []marker {
	return findMarkers(s, func(text string, pos int) (start, end int, ok bool) {
		i := strings.Index(s[pos:], text)
		return pos + i, pos + i + len(text), i >= 0
	})
}

// shownMarkers finds the markers in the text the HTML shows.
func shownMarkers(s string) []marker { return findMarkers(s, project(s).find) }

// findMarkers lists, in order, the markers that find finds in s from pos
// on; a marker is raw when s holds its text as is.
func findMarkers(s string, find func(text string, pos int) (start, end int, ok bool)) []marker {
	var out []marker
	for _, kind := range []struct {
		text  string
		isEnd bool
	}{{AgendaStart, false}, {AgendaEnd, true}} {
		for pos := 0; ; {
			start, end, ok := find(kind.text, pos)
			if !ok {
				break
			}
			out = append(out, marker{isEnd: kind.isEnd, start: start, end: end, raw: s[start:end] == kind.text})
			pos = end
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// mergeMarkers adds the shown markers that are not raw ones to raw.
func mergeMarkers(raw, shown []marker) []marker {
	seen := map[int]bool{}
	for _, m := range raw {
		seen[m.start] = true
	}
	out := raw
	for _, m := range shown {
		if !seen[m.start] {
			m.raw = false
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}
