package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// writeExportCSV prints one row per occurrence, with a header.
func writeExportCSV(w io.Writer, x pairExport, answers bool) error {
	cw := csv.NewWriter(w)
	header := []string{"series_uid", "summary", "recurrence_id", "start", "end", "status"}
	if answers {
		header = append(header, "agenda", "answers")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, o := range x.Occurrences {
		row := []string{o.SeriesUID, o.Summary, o.RecurrenceID, o.Start, o.End, o.Status}
		if answers {
			row = append(row, deref(o.Agenda), answerLines(o))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func answerLines(o exportOccurrence) string {
	lines := make([]string, 0, len(o.Answers))
	for _, a := range o.Answers {
		lines = append(lines, fmt.Sprintf("%s — %s (%s): %s", a.Email, a.Question, a.Visibility, a.Text))
	}
	return strings.Join(lines, "\n")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// writeExportMarkdown prints a report for people to read.
func writeExportMarkdown(w io.Writer, x pairExport) error {
	c := x.Counts
	fmt.Fprintf(w, "# 1:1 record: %s and %s\n\n", x.Pair[0], x.Pair[1])
	if x.Since != nil {
		fmt.Fprintf(w, "Since %s.\n\n", *x.Since)
	}
	fmt.Fprintf(w, "- Held: %d\n- Moved: %d\n- Cancelled: %d\n- Declined: %d\n- Not held: %d\n- Did not happen in a row now: %d\n",
		c.Held, c.Moved, c.Cancelled, c.Declined, c.NotHeld, c.Streak)
	if c.CancelRate8 != nil {
		fmt.Fprintf(w, "- Share of the last 8 that did not happen: %.0f%%\n", *c.CancelRate8*100)
	}
	if c.TypicalNoticeHours != nil {
		fmt.Fprintf(w, "- Typical notice of a cancellation or move: %.0f hours\n", *c.TypicalNoticeHours)
	}
	fmt.Fprintf(w, "\n## Occurrences\n\n| start | status | title |\n|---|---|---|\n")
	for _, o := range x.Occurrences {
		fmt.Fprintf(w, "| %s | %s | %s |\n", mdCell(o.Start), mdCell(o.Status), mdCell(o.Summary))
	}
	fmt.Fprintf(w, "\n## History\n\n")
	for _, ev := range x.Events {
		fmt.Fprintf(w, "- %s: %s", mdCell(ev.ObservedAt), ev.Kind)
		if d := ev.Describe(); d != "" {
			fmt.Fprintf(w, " — %s", mdCell(d))
		}
		fmt.Fprintln(w)
	}
	for _, o := range x.Occurrences {
		if o.Agenda == nil || (*o.Agenda == "" && len(o.Answers) == 0) {
			continue
		}
		fmt.Fprintf(w, "\n## %s\n\n", mdCell(o.Start))
		if *o.Agenda != "" {
			fmt.Fprintf(w, "Agenda:\n\n```\n%s\n```\n\n", strings.ReplaceAll(*o.Agenda, "```", "'''"))
		}
		for _, a := range o.Answers {
			fmt.Fprintf(w, "- %s — %s: %s\n", mdCell(a.Email), mdCell(a.Question), mdCell(a.Text))
		}
	}
	return nil
}

// mdCell makes untrusted text one line that cannot break a table or
// start Markdown structure.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;", "`", "\\`", "[", "\\[", "]", "\\]").Replace(s)
}
