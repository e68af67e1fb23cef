package prep

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/oneonone/oneonone/calendars"
)

// Limits of the composed agenda. Google keeps at most 8,192 characters of
// description, and the people's own text shares them with the block.
const (
	agendaAnswerMax = 1000 // characters of one answer
	agendaLabelMax  = 200  // of a name or a question
	agendaMax       = 6000 // of the whole body
)

// ComposeAgenda renders the body of m's agenda block (the writer adds
// the delimiters): under each person's name, their answers to the
// questions of visibility agenda, in the order of questions, then the
// next steps carried over from the previous meeting. answers holds each
// person's answers by lowercased address, then question id. It returns ""
// when there is nothing to show.
//
// Answers are untrusted: control and direction-override characters are
// dropped, line ends normalised, each answer and the whole body capped,
// personal links (/p/<token>) masked, and every answer line indented, so
// that no answer can pass for a name or a question. Keeping answers from
// forming the block's delimiters, and escaping for HTML descriptions, is
// the writer's part (calendars.SetAgendaBlock).
func ComposeAgenda(m Meeting, questions []Question, answers map[string]map[string]string, previousNextSteps string) string {
	var b strings.Builder
	for _, p := range m.People {
		section := personSection(questions, answers[normEmail(p.Email)])
		if section == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(label(p) + "\n" + section)
	}
	if prev := cleanUntrusted(previousNextSteps, agendaMax); prev != "" {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString("From last time\n" + indent(prev, "    ") + "\n")
	}
	return capText(strings.TrimRight(b.String(), "\n"), agendaMax)
}

func personSection(questions []Question, answers map[string]string) string {
	var b strings.Builder
	for _, q := range questions {
		if q.Visibility != VisibilityAgenda {
			continue
		}
		text := cleanUntrusted(answers[q.ID], agendaAnswerMax)
		if text == "" {
			continue
		}
		b.WriteString("- " + shortLine(q.Text, agendaLabelMax) + "\n" + indent(text, "    ") + "\n")
	}
	return b.String()
}

// label names a person: the name, else the address.
func label(p Person) string {
	if n := shortLine(p.Name, agendaLabelMax); n != "" {
		return n
	}
	return shortLine(p.Email, agendaLabelMax)
}

// personalLinkRe matches the path of a prep or follow-up link, and a token
// placeholder, should someone paste theirs into an answer.
var personalLinkRe = regexp.MustCompile(`/[pf]/[A-Za-z0-9_-]{43}|` + placeholderPrefix + `[0-9a-f]{64}`)

// cleanUntrusted makes typed text safe to show as plain text: normalised
// lines, at most one blank line in a row, links masked, at most max
// characters.
func cleanUntrusted(s string, max int) string {
	s = strings.ReplaceAll(NormalizeAnswer(s), "\t", " ")
	s = personalLinkRe.ReplaceAllStringFunc(s, func(m string) string {
		if m[0] == '/' {
			return m[:3] + "…" // the prep form's /p/ or the follow-up's /f/
		}
		return "…"
	})
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for i, l := range lines {
		if l == "" && i > 0 && lines[i-1] == "" {
			continue
		}
		out = append(out, l)
	}
	return capText(strings.Join(out, "\n"), max)
}

// capText cuts s to at most max characters, at a line end when one is
// near, and says that it did.
func capText(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	const mark = "… (shortened)"
	r := []rune(s)[:max-utf8.RuneCountInString(mark)-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, '\n'); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " \n") + "\n" + mark
}

// shortLine makes a name or a question one line (calendars.OneLine, with
// every run of spaces one space) of at most max characters.
func shortLine(s string, max int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return calendars.IsControl(r) || unicode.IsSpace(r) }), " ")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return s
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
