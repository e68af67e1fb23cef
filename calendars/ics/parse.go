package ics

import (
	"fmt"
	"strings"
)

// MaxDepth is how deeply components may nest. Real calendars need three
// (VCALENDAR, VEVENT, VALARM); anything deeper is skipped, so a file of
// nested BEGIN lines cannot grow the parser's stack without bound.
const MaxDepth = 8

// Parse reads every top-level component in data (usually one VCALENDAR).
// It always returns what it could read, plus the problems it found.
func Parse(data []byte) ([]*Component, []Problem) {
	lines, probs := unfold(data)
	var roots []*Component
	var stack []*Component
	skip := 0 // depth inside a component nested too deeply
	for _, l := range lines {
		p, err := parseProp(l.text)
		if err != nil {
			probs = append(probs, Problem{Line: l.num, Msg: err.Error()})
			continue
		}
		p.Line = l.num
		for _, c := range stack {
			c.Size += len(l.text) + 2
		}
		if skip > 0 {
			skip += nesting(p)
			continue
		}
		switch p.Name {
		case "BEGIN":
			c := &Component{Name: strings.ToUpper(strings.TrimSpace(p.Value)), Line: l.num, Size: len(l.text) + 2}
			if len(stack) >= MaxDepth {
				probs = append(probs, Problem{Line: l.num, Msg: fmt.Sprintf("BEGIN:%s is nested more than %d components deep; skipped with everything inside it", clip(c.Name), MaxDepth), Limit: true})
				skip = 1
				continue
			}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.Children = append(top.Children, c)
			} else {
				roots = append(roots, c)
			}
			stack = append(stack, c)
		case "END":
			var msg string
			stack, msg = closeComponent(stack, strings.ToUpper(strings.TrimSpace(p.Value)))
			if msg != "" {
				probs = append(probs, Problem{Line: l.num, Msg: msg})
			}
		default:
			if len(stack) == 0 {
				probs = append(probs, Problem{Line: l.num, Msg: fmt.Sprintf("property %s outside any BEGIN/END; ignored", p.Name)})
				continue
			}
			top := stack[len(stack)-1]
			top.Props = append(top.Props, p)
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		probs = append(probs, Problem{Line: stack[i].Line, Msg: fmt.Sprintf("BEGIN:%s has no END:%s", stack[i].Name, stack[i].Name)})
	}
	return roots, probs
}

// nesting is how a line changes the depth inside a skipped component.
func nesting(p *Prop) int {
	switch p.Name {
	case "BEGIN":
		return 1
	case "END":
		return -1
	}
	return 0
}

// closeComponent pops the component named by an END line. An END that
// matches an outer component closes the ones inside it too (their END was
// lost); an END that matches nothing is ignored.
func closeComponent(stack []*Component, name string) ([]*Component, string) {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].Name != name {
			continue
		}
		var msg string
		if i != len(stack)-1 {
			msg = fmt.Sprintf("END:%s closes BEGIN:%s (line %d) that has no END", name, stack[len(stack)-1].Name, stack[len(stack)-1].Line)
		}
		return stack[:i], msg
	}
	return stack, fmt.Sprintf("END:%s without a matching BEGIN; ignored", name)
}

// parseProp splits name;param=value,"quoted";…:value.
func parseProp(s string) (*Prop, error) {
	i := strings.IndexAny(s, ";:")
	if i <= 0 {
		return nil, fmt.Errorf("not a content line: %q", clip(s))
	}
	p := &Prop{Name: strings.ToUpper(s[:i])}
	rest := s[i:]
	for rest != "" && rest[0] == ';' {
		var name string
		var vals []string
		var err error
		name, vals, rest, err = parseParam(rest[1:])
		if err != nil {
			return nil, fmt.Errorf("property %s: %v", p.Name, err)
		}
		if p.Params == nil {
			p.Params = make(map[string][]string)
		}
		p.Params[name] = append(p.Params[name], vals...)
	}
	if rest == "" || rest[0] != ':' {
		return nil, fmt.Errorf("property %s: no ':' before its value", p.Name)
	}
	p.Value = rest[1:]
	return p, nil
}

// parseParam reads one parameter and returns the text after it, which
// starts with ';' or ':' when all is well.
func parseParam(s string) (name string, vals []string, rest string, err error) {
	eq := strings.IndexAny(s, "=;:")
	if eq <= 0 || s[eq] != '=' {
		return "", nil, "", fmt.Errorf("malformed parameter %q", clip(s))
	}
	name = strings.ToUpper(s[:eq])
	s = s[eq+1:]
	for {
		var v string
		if s != "" && s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return "", nil, "", fmt.Errorf("parameter %s: unterminated quoted value", name)
			}
			v, s = s[1:1+end], s[end+2:]
		} else {
			end := strings.IndexAny(s, ",;:")
			if end < 0 {
				return "", nil, "", fmt.Errorf("parameter %s: no ':' before the value", name)
			}
			v, s = s[:end], s[end:]
		}
		vals = append(vals, v)
		if s == "" {
			// TZID="W. Europe Standard Time:20200609T090000" (seen from
			// Outlook): the closing quote swallowed the value.
			if i := strings.LastIndexByte(v, ':'); i > 0 {
				vals[len(vals)-1] = v[:i]
				return name, vals, v[i:], nil
			}
			return "", nil, "", fmt.Errorf("parameter %s: no ':' before the value", name)
		}
		switch s[0] {
		case ',':
			s = s[1:]
		case ';', ':':
			return name, vals, s, nil
		default:
			// A quoted value followed by junk (`CN="A"B:`): keep the
			// junk as part of the value instead of failing the line.
			end := strings.IndexAny(s, ",;:")
			if end < 0 {
				return "", nil, "", fmt.Errorf("parameter %s: no ':' before the value", name)
			}
			vals[len(vals)-1] += s[:end]
			s = s[end:]
			if s[0] == ',' {
				s = s[1:]
				continue
			}
			return name, vals, s, nil
		}
	}
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Text unescapes a TEXT value (RFC 5545 3.3.11). Unknown escapes are kept
// as written rather than rejected.
func Text(v string) string {
	if !strings.ContainsRune(v, '\\') {
		return v
	}
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 == len(v) {
			sb.WriteByte(c)
			continue
		}
		i++
		switch v[i] {
		case 'n', 'N':
			sb.WriteByte('\n')
		case '\\', ';', ',', ':', '"':
			sb.WriteByte(v[i])
		default:
			sb.WriteByte('\\')
			sb.WriteByte(v[i])
		}
	}
	return sb.String()
}

// EscapeText is the inverse of Text.
func EscapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// SplitList splits a multi-valued property value (EXDATE, RDATE) on commas.
func SplitList(v string) []string {
	parts := strings.Split(v, ",")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
