package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

// pairExport is what `export` prints: the JSON shape, which CSV and
// Markdown render too.
type pairExport struct {
	Pair        []string           `json:"pair"`
	Since       *string            `json:"since"`
	Occurrences []exportOccurrence `json:"occurrences"`
	Events      []sync.Event       `json:"events"`
	Counts      sync.PairStats     `json:"counts"`
}

type exportOccurrence struct {
	sync.OccurrenceInfo
	// Agenda and Answers only with --include-answers (and the config's
	// admin_reads_answers): never a private answer.
	Agenda  *string             `json:"agenda,omitempty"`
	Answers []prep.SharedAnswer `json:"answers,omitempty"`
}

// exportFlags are the parsed flags of `export`.
type exportFlags struct {
	config, format string
	pair           []string
	since          time.Time
	answers        bool
}

func parseExportFlags(e *env, args []string) (exportFlags, error) {
	fs := newFlagSet(e, "export", "--pair A,B [--config FILE] [--format json|csv|md] [--since DATE] [--include-answers]")
	cfgFile := configFlag(fs)
	pairFlag := fs.String("pair", "", "the pair: two email addresses separated by a comma (required)")
	format := fs.String("format", "json", "json, csv or md")
	since := fs.String("since", "", "only occurrences and events from this date on (2026-01-01 or RFC 3339)")
	answers := fs.Bool("include-answers", false, "add the agenda and the answers that are not private (needs admin_reads_answers = true)")
	if err := fs.Parse(args); err != nil {
		return exportFlags{}, err
	}
	f := exportFlags{config: *cfgFile, format: *format, answers: *answers}
	f.pair = strings.Split(*pairFlag, ",")
	if len(f.pair) != 2 || !strings.Contains(f.pair[0], "@") || !strings.Contains(f.pair[1], "@") {
		return f, usageError{fmt.Sprintf("--pair %q: give two email addresses separated by a comma, e.g. ada@example.com,grace@example.com", *pairFlag)}
	}
	for i := range f.pair {
		f.pair[i] = calendars.NormalizeEmail(f.pair[i])
	}
	if f.pair[1] < f.pair[0] {
		f.pair[0], f.pair[1] = f.pair[1], f.pair[0]
	}
	if f.format != "json" && f.format != "csv" && f.format != "md" {
		return f, usageError{fmt.Sprintf("--format %q: use json, csv or md", f.format)}
	}
	if *since != "" {
		t, err := parseInstant(*since)
		if err != nil {
			return f, usageError{fmt.Sprintf("--since %q: %v", *since, err)}
		}
		f.since = t
	}
	return f, nil
}

func runExport(ctx context.Context, e *env, args []string) error {
	f, err := parseExportFlags(e, args)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, e, f.config)
	if err != nil {
		return err
	}
	defer a.Close()
	cfg := a.conf()
	if f.answers && !cfg.AdminReadsAnswers {
		return exitError{code: 1, msg: fmt.Sprintf("--include-answers is refused: answers belong to the two people, and %s does not say admin_reads_answers = true. "+
			"Set it there (at the top level) if your organisation allows admins to read them; private answers are never printed.", cfg.File)}
	}
	x, err := collectExport(ctx, a, f)
	if err != nil {
		return err
	}
	switch f.format {
	case "csv":
		return writeExportCSV(e.stdout, x, f.answers)
	case "md":
		return writeExportMarkdown(e.stdout, x)
	}
	return writeJSON(e.stdout, x)
}

// collectExport reads the pair's record, and with --include-answers the
// agenda and shared answers of each occurrence.
func collectExport(ctx context.Context, a *app, f exportFlags) (pairExport, error) {
	x := pairExport{Pair: f.pair, Occurrences: []exportOccurrence{}}
	if !f.since.IsZero() {
		s := f.since.UTC().Format(time.RFC3339)
		x.Since = &s
	}
	rec, err := sync.ReadPairRecord(ctx, a.db, f.pair, f.since)
	if err != nil {
		return x, err
	}
	x.Events, x.Counts = rec.Events, rec.Counts
	var cipher *prep.AnswerCipher
	if f.answers {
		if cipher, err = a.answerCipher(); err != nil {
			return x, err
		}
	}
	meetings := sync.Meetings{DB: a.db}
	for _, o := range rec.Occurrences {
		out := exportOccurrence{OccurrenceInfo: o}
		if f.answers {
			agenda, answers, err := prep.OccurrenceAnswers(ctx, a.db, cipher, meetings, prepSettings(a.conf()), o.SeriesUID, o.RecurrenceID)
			if err != nil {
				return x, err
			}
			out.Agenda, out.Answers = &agenda, answers
		}
		x.Occurrences = append(x.Occurrences, out)
	}
	return x, nil
}
