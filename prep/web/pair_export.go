package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// exportPair serves GET /pair/{token}/export.json, .csv and .md: exactly
// what the page shows, for keeping or for a review. It only reads.
func (s *server) exportPair(w http.ResponseWriter, r *http.Request) {
	var write func(*bytes.Buffer, pairExport) error
	var ctype string
	file := r.PathValue("file")
	switch file {
	case "export.json":
		write, ctype = writeJSON, "application/json"
	case "export.csv":
		write, ctype = writeCSV, "text/csv; charset=utf-8"
	case "export.md":
		write, ctype = writeMarkdown, "text/markdown; charset=utf-8"
	default:
		s.fail(w, r, errNotFound)
		return
	}
	rec, err := s.openPair(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := write(&buf, exportOf(rec)); err != nil {
		s.fail(w, r, fmt.Errorf("web: pair export %s: %w", file, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="1on1-record`+file[len("export"):]+`"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

// pairExport is the export's shape; the JSON names are for scripts to
// rely on.
type pairExport struct {
	You      string          `json:"you"`
	Other    exportPerson    `json:"other"`
	Zone     string          `json:"zone"`
	Meetings []exportMeeting `json:"meetings"`
	Scales   []exportScale   `json:"scales"`
	Months   []exportMonth   `json:"months"`
}

type exportPerson struct {
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

type exportMeeting struct {
	SeriesUID    string         `json:"series_uid"`
	RecurrenceID string         `json:"recurrence_id"`
	Start        string         `json:"start"`
	End          string         `json:"end"`
	Summary      string         `json:"summary"`
	Status       string         `json:"status"`
	Moved        bool           `json:"moved"`
	NoticeHours  *float64       `json:"notice_hours"`
	Agenda       string         `json:"agenda,omitempty"`
	NextSteps    string         `json:"next_steps,omitempty"`
	Yours        []exportAnswer `json:"your_answers"`
	Theirs       []exportAnswer `json:"their_answers"`
	TheirsHidden bool           `json:"their_answers_hidden,omitempty"`
}

type exportAnswer struct {
	QuestionID string `json:"question_id"`
	Question   string `json:"question"`
	Kind       string `json:"kind"`
	Visibility string `json:"visibility"`
	Text       string `json:"text"`
}

type exportScale struct {
	QuestionID string        `json:"question_id"`
	Question   string        `json:"question"`
	Person     string        `json:"person"`
	Points     []exportPoint `json:"points"`
}

type exportPoint struct {
	At    string `json:"at"`
	Value int    `json:"value"`
}

type exportMonth struct {
	Month     string `json:"month"`
	Held      int    `json:"held"`
	Cancelled int    `json:"cancelled"`
}

func exportOf(rec prep.PairRecord) pairExport {
	loc := rec.Location
	if loc == nil {
		loc = time.UTC
	}
	x := pairExport{You: rec.You.Email, Other: exportPerson{Email: rec.Other.Email, Name: rec.Other.Name}, Zone: loc.String(),
		Meetings: []exportMeeting{}, Scales: []exportScale{}, Months: []exportMonth{}}
	for _, m := range rec.Meetings {
		x.Meetings = append(x.Meetings, exportMeeting{SeriesUID: m.SeriesUID, RecurrenceID: m.RecurrenceID,
			Start: m.Start.In(loc).Format(time.RFC3339), End: m.End.In(loc).Format(time.RFC3339), Summary: m.Summary,
			Status: m.Status, Moved: m.Moved, NoticeHours: m.NoticeHours, Agenda: m.Agenda, NextSteps: m.NextSteps,
			Yours: exportAnswers(m.Yours), Theirs: exportAnswers(m.Theirs), TheirsHidden: m.Hidden})
	}
	for _, sc := range rec.Scales {
		e := exportScale{QuestionID: sc.QuestionID, Question: sc.Question, Person: sc.Person.Email}
		for _, p := range sc.Points {
			e.Points = append(e.Points, exportPoint{At: p.At.In(loc).Format(time.RFC3339), Value: p.Value})
		}
		x.Scales = append(x.Scales, e)
	}
	for _, m := range rec.Months {
		x.Months = append(x.Months, exportMonth(m))
	}
	return x
}

func exportAnswers(as []prep.RecordAnswer) []exportAnswer {
	out := []exportAnswer{}
	for _, a := range as {
		out = append(out, exportAnswer{QuestionID: a.QuestionID, Question: a.Question, Kind: a.Kind, Visibility: a.Visibility, Text: a.Text})
	}
	return out
}

func writeJSON(b *bytes.Buffer, x pairExport) error {
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	return enc.Encode(x)
}

// csvHead are the CSV columns: one row per meeting, per answer shown
// and per month counted.
var csvHead = []string{"row", "start", "status", "notice_hours", "person", "question_id", "question", "visibility", "text"}

func writeCSV(b *bytes.Buffer, x pairExport) error {
	w := csv.NewWriter(b)
	w.Write(csvHead)
	for _, m := range x.Meetings {
		notice := ""
		if m.NoticeHours != nil {
			notice = strconv.FormatFloat(*m.NoticeHours, 'f', 1, 64)
		}
		w.Write([]string{"meeting", m.Start, m.Status, notice, "", "", m.Summary, "", m.Agenda})
		if m.NextSteps != "" {
			w.Write([]string{"next_steps", m.Start, m.Status, "", "", "", "", "", m.NextSteps})
		}
		for _, set := range []struct {
			who string
			as  []exportAnswer
		}{{x.You, m.Yours}, {x.Other.Email, m.Theirs}} {
			for _, a := range set.as {
				w.Write([]string{"answer", m.Start, m.Status, "", set.who, a.QuestionID, a.Question, a.Visibility, csvSafe(a.Text)})
			}
		}
	}
	for _, m := range x.Months {
		w.Write([]string{"month", m.Month, "held", "", "", "", "", "", strconv.Itoa(m.Held)})
		w.Write([]string{"month", m.Month, "cancelled", "", "", "", "", "", strconv.Itoa(m.Cancelled)})
	}
	w.Flush()
	return w.Error()
}

// csvSafe keeps a spreadsheet from reading typed text as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeMarkdown(b *bytes.Buffer, x pairExport) error {
	other := x.Other.Name
	if other == "" {
		other = x.Other.Email
	}
	fmt.Fprintf(b, "# Your 1:1s with %s\n\nFor %s. Times in %s.\n", mdLine(other), mdLine(x.You), x.Zone)
	if len(x.Months) > 0 {
		b.WriteString("\n## Held and cancelled, per month\n\n| Month | Held | Cancelled |\n|---|---|---|\n")
		for _, m := range x.Months {
			fmt.Fprintf(b, "| %s | %d | %d |\n", m.Month, m.Held, m.Cancelled)
		}
	}
	for _, sc := range x.Scales {
		fmt.Fprintf(b, "\n## %s — %s\n\n", mdLine(sc.Question), mdLine(sc.Person))
		for _, p := range sc.Points {
			fmt.Fprintf(b, "- %s: %d of 5\n", p.At, p.Value)
		}
	}
	b.WriteString("\n## Meetings\n")
	for _, m := range x.Meetings {
		fmt.Fprintf(b, "\n### %s — %s\n", m.Start, m.Status)
		if m.NoticeHours != nil {
			fmt.Fprintf(b, "\nNotice: %.1f hours\n", *m.NoticeHours)
		}
		mdBlock(b, "Agenda", m.Agenda)
		mdBlock(b, "Next steps", m.NextSteps)
		mdAnswers(b, "Your answers", m.Yours)
		mdAnswers(b, other+"’s answers", m.Theirs)
	}
	return nil
}

func mdAnswers(b *bytes.Buffer, title string, as []exportAnswer) {
	if len(as) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s:\n\n", mdLine(title))
	for _, a := range as {
		fmt.Fprintf(b, "- %s\n%s\n", mdLine(a.Question), mdIndent(a.Text))
	}
}

func mdBlock(b *bytes.Buffer, title, text string) {
	if text != "" {
		fmt.Fprintf(b, "\n%s:\n\n%s\n", title, mdIndent(text))
	}
}

// mdLine makes untrusted text one line that cannot start a heading or a
// list of its own.
func mdLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// mdIndent indents every line of untrusted text under a list item, so
// that none of it can pass for a heading of the export.
func mdIndent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
