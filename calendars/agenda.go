package calendars

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oneonone/oneonone/calendars/ics"
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
	open               bool // no end marker: the block runs to the end
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
// the HTML around it is left alone. A block whose end marker was deleted
// runs to the end of the description: everything after its start marker
// is replaced. When a description holds several blocks, the first is
// updated and the others are removed.
//
// body is untrusted text (people's answers): it is escaped in HTML, and
// runs of three or more em dashes in it are shortened so that it can
// never end the block early or start another one.
func SetAgendaBlock(description, body string) (string, bool) {
	blocks := findBlocks(description)
	var out string
	if len(blocks) == 0 {
		out = appendBlock(description, body)
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
	blocks := findBlocks(description)
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
	if b.open {
		return strings.TrimRight(s, " \t\n"), true
	}
	return strings.TrimSuffix(s, "\n"), true
}

// RemoveAgendaBlock removes every agenda block from description, and the
// blank line that separated a block at its end from the user's text.
func RemoveAgendaBlock(description string) (string, bool) {
	out := removeBlocks(description, 0, findBlocks(description))
	return out, out != description
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

// htmlHint matches what only HTML text holds: common tags and entities.
var htmlHint = regexp.MustCompile(`(?i)<(br|p|div|span|a|b|i|u|em|strong|ul|ol|li|font|html|body)[\s/>]|</[a-z][a-z0-9]*>|&(nbsp|amp|lt|gt|quot|#[0-9]+|#x[0-9a-f]+);`)

func looksHTML(s string) bool { return htmlHint.MatchString(s) }

// findBlocks returns the blocks of s in order. Blocks are found by their
// start marker; the first end marker after it closes each.
func findBlocks(s string) []block {
	var out []block
	var p *projection
	for pos := 0; pos < len(s); {
		b, ok := findBlock(s, pos, &p)
		if !ok {
			break
		}
		out = append(out, b)
		if b.open {
			break
		}
		pos = b.end
	}
	return out
}

// findBlock finds the first block at or after pos. A start marker written
// as plain text is a plain text block when a line break follows it or the
// description does not look like HTML; its end is then looked for as plain
// text too, so that answers inside a plain block (which may hold "&amp;"
// or "<br>") are never read as HTML. Anything else is looked for in the
// text the HTML shows.
func findBlock(s string, pos int, pp **projection) (block, bool) {
	if *pp == nil {
		*pp = project(s)
	}
	p := *pp
	raw := strings.Index(s[pos:], AgendaStart)
	ps, pe, found := p.find(AgendaStart, pos)
	if raw >= 0 && (!found || pos+raw <= ps) {
		raw += pos
		rest := strings.TrimLeft(s[raw+len(AgendaStart):], " \t")
		plain := rest == "" || rest[0] == '\n' || rest[0] == '\r'
		if plain || !looksHTML(s) {
			return plainBlock(s, raw), true
		}
		ps, pe, found = raw, raw+len(AgendaStart), true
	}
	if !found {
		return block{}, false
	}
	return htmlBlock(s, p, ps, pe), true
}

func plainBlock(s string, start int) block {
	b := block{start: start, bodyStart: start + len(AgendaStart)}
	if i := strings.Index(s[b.bodyStart:], AgendaEnd); i >= 0 {
		b.bodyEnd = b.bodyStart + i
		b.end = b.bodyEnd + len(AgendaEnd)
		return b
	}
	b.bodyEnd, b.end, b.open = len(s), len(s), true
	return b
}

func htmlBlock(s string, p *projection, start, startEnd int) block {
	b := block{start: start, bodyStart: startEnd, html: true}
	if es, ee, ok := p.find(AgendaEnd, startEnd); ok {
		b.bodyEnd, b.end = es, ee
	} else {
		b.bodyEnd, b.end, b.open = len(s), len(s), true
	}
	b.start, b.end = balanceTags(s, b.start, b.end, b.open)
	return b
}

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
// inside the block. A block without an end marker gives back the closing
// tags at the end of the description that close what was opened before it.
func balanceTags(s string, start, end int, open bool) (int, int) {
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
	if open {
		for end > start && s[end-1] == '>' {
			j := strings.LastIndexByte(s[start:end-1], '<')
			if j < 0 {
				break
			}
			j += start
			n, name, closing := tagAt(s, j)
			if n != end-j || !closing || depth[name] >= 0 {
				break
			}
			depth[name]++
			end = j
		}
		return start, end
	}
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

// Writing the block into one occurrence of a CalDAV resource.

var (
	// ErrNotEditable: the resource cannot be rewritten without risk of
	// losing what it holds (lines the reader could not read, no master
	// event to make an override from, an occurrence ruled by a
	// RANGE=THISANDFUTURE override).
	ErrNotEditable = errors.New("calendars: the event cannot be edited safely")
	// ErrNoOccurrence: the resource has no such event or occurrence.
	ErrNoOccurrence = errors.New("calendars: no such occurrence")
)

// SetOccurrenceDescription edits the DESCRIPTION of one occurrence inside
// a VCALENDAR resource, with floating times read as UTC (see
// EditOccurrenceDescription).
func SetOccurrenceDescription(resource []byte, uid, recurrenceID string, allDay bool, edit func(old string) (string, bool)) ([]byte, bool, error) {
	return EditOccurrenceDescription(resource, ReadOptions{}, uid, recurrenceID, allDay, edit)
}

// EditOccurrenceDescription sets the DESCRIPTION of the occurrence
// recurrenceID (its key: UTC RFC 3339, or a date for an all-day series) of
// the series uid to edit(old). The occurrence's override is edited when
// the resource has one (RECURRENCE-IDs are compared as instants, whatever
// their form); otherwise one is made from the master: a copy without its
// recurrence, with RECURRENCE-ID, DTSTART and DTEND in the form of the
// master's DTSTART (same TZID, DATE or UTC) holding the occurrence's
// original start and its current start and end. SEQUENCE stays the
// master's. Every other component, property, parameter and value is
// written back as it was read (re-encoded: folding and parameter order may
// differ). When edit reports no change, resource is returned unchanged.
func EditOccurrenceDescription(resource []byte, opt ReadOptions, uid, recurrenceID string, allDay bool, edit func(old string) (string, bool)) ([]byte, bool, error) {
	key, err := parseOccurrenceKey(recurrenceID, allDay)
	if err != nil {
		return nil, false, err
	}
	roots, probs := ics.Parse(resource)
	if len(probs) > 0 {
		return nil, false, fmt.Errorf("%w: %s", ErrNotEditable, probs[0])
	}
	series, _ := ReadICS([]File{{Name: uid, Data: resource}}, opt)
	var s *Series
	for _, x := range series {
		if x.UID == uid {
			s = x
		}
	}
	if s == nil || s.AllDay != allDay {
		return nil, false, fmt.Errorf("%w: no %s event %q in the resource", ErrNoOccurrence, kindOf(allDay), uid)
	}
	ed := &occurrenceEdit{roots: roots, opt: opt, s: s, key: key}
	if err := ed.find(uid); err != nil {
		return nil, false, err
	}
	if !ed.apply(edit) {
		return resource, false, nil
	}
	var b bytes.Buffer
	if err := ics.Encode(&b, ed.roots); err != nil {
		return nil, false, fmt.Errorf("calendars: %w", err)
	}
	return b.Bytes(), true, nil
}

func parseOccurrenceKey(id string, allDay bool) (time.Time, error) {
	layout := time.RFC3339
	if allDay {
		layout = "2006-01-02"
	}
	t, err := time.Parse(layout, id)
	if err != nil {
		return t, fmt.Errorf("%w: occurrence key %q is not a %s", ErrNoOccurrence, id, kindOf(allDay))
	}
	return t.UTC(), nil
}

func kindOf(allDay bool) string {
	if allDay {
		return "date (all-day)"
	}
	return "UTC time"
}

// occurrenceEdit is one EditOccurrenceDescription call.
type occurrenceEdit struct {
	roots   []*ics.Component
	opt     ReadOptions
	s       *Series
	key     time.Time
	targets []*ics.Component // the overrides to edit
	created *ics.Event       // a new override, inserted only on change
	last    ics.Event        // the last VEVENT of the UID, to insert after
}

// find sets the overrides of the occurrence, or makes a new one.
func (ed *occurrenceEdit) find(uid string) error {
	var master *vevent
	var masterComp *ics.Component
	readers := map[*ics.Component]*reader{}
	for _, ev := range ics.Events(ed.roots, uid) {
		ed.last = ev
		root := ev.Parent
		if root == nil {
			root = ev.Component
		}
		r := readers[root]
		if r == nil {
			r = newReader(uid, root, ed.opt)
			readers[root] = r
		}
		e := r.event(ev.Component)
		switch {
		case e == nil:
		case !e.hasRecur:
			if master == nil || newer(e, master) {
				master, masterComp = e, ev.Component
			}
		case ed.names(toOverride(e)):
			if e.future {
				return fmt.Errorf("%w: the occurrence is ruled by a RANGE=THISANDFUTURE override", ErrNotEditable)
			}
			ed.targets = append(ed.targets, ev.Component)
		}
	}
	if len(ed.targets) > 0 {
		return nil
	}
	if master == nil || ed.s.Partial {
		return fmt.Errorf("%w: no master event to make the occurrence's override from", ErrNotEditable)
	}
	return ed.newOverride(masterComp)
}

// names reports whether an override is for the occurrence being edited.
func (ed *occurrenceEdit) names(o Override) bool {
	switch {
	case ed.s.AllDay:
		return dateKey(o.RecurrenceID).Equal(ed.key)
	case o.RecurrenceIDDate:
		return dateKey(o.RecurrenceID).Equal(dateKey(ed.key.In(ed.s.Location)))
	}
	return o.RecurrenceID.Equal(ed.key)
}

func (ed *occurrenceEdit) newOverride(master *ics.Component) error {
	s := ed.s
	pad := s.Duration + s.maxShift() + 48*time.Hour
	var occ *Occurrence
	for _, o := range s.Expand(ed.key.Add(-pad), ed.key.Add(pad)) {
		if o.Key.Equal(ed.key) {
			occ = &o
			break
		}
	}
	if occ == nil {
		return fmt.Errorf("%w: the series has no occurrence %s", ErrNoOccurrence, ed.key.Format(time.RFC3339))
	}
	like := master.Prop("DTSTART")
	orig := ed.key.In(s.Location)
	c := ics.NewOverride(master,
		ics.DateTimeLike("RECURRENCE-ID", orig, like),
		ics.DateTimeLike("DTSTART", occ.Start.In(s.Location), like),
		ics.DateTimeLike("DTEND", occ.End.In(s.Location), like))
	ed.targets = []*ics.Component{c}
	ed.created = &ics.Event{Parent: ed.last.Parent, Component: c}
	return nil
}

// apply runs edit on each target's description; it reports a change.
func (ed *occurrenceEdit) apply(edit func(string) (string, bool)) bool {
	changed := false
	for _, c := range ed.targets {
		old := ""
		if p := c.Prop("DESCRIPTION"); p != nil {
			old = ics.Text(p.Value)
		}
		if text, ok := edit(old); ok && text != old {
			c.SetText("DESCRIPTION", text)
			changed = true
		}
	}
	if changed && ed.created != nil {
		if p := ed.created.Parent; p != nil {
			p.InsertAfter(ed.last.Component, ed.created.Component)
		} else {
			ed.roots = append(ed.roots, ed.created.Component)
		}
	}
	return changed
}
