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

// collectExport reads the pair's record from the database.
func collectExport(ctx context.Context, a *app, f exportFlags) (pairExport, error) {
	x := pairExport{Pair: f.pair, Occurrences: []exportOccurrence{}, Events: []sync.Event{}, Counts: sync.PairStats{Pair: f.pair}}
	if !f.since.IsZero() {
		s := f.since.UTC().Format(time.RFC3339)
		x.Since = &s
	}
	events, err := sync.History(ctx, a.db, f.pair)
	if err != nil {
		return x, err
	}
	for _, ev := range events {
		if x.Since == nil || eventTime(ev) >= *x.Since {
			x.Events = append(x.Events, ev)
		}
	}
	if st := sync.Stats(x.Events); len(st) == 1 {
		x.Counts = st[0]
	}
	occs, err := sync.PairOccurrences(ctx, a.db, f.pair, f.since, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return x, err
	}
	meetings := sync.Meetings{DB: a.db}
	settings := prepSettings(a.conf())
	var cipher *prep.AnswerCipher
	if f.answers {
		key, err := a.secretsKey()
		if err != nil {
			return x, err
		}
		if cipher, err = prep.NewAnswerCipher(prep.AnswerKey(key)); err != nil {
			return x, err
		}
	}
	for _, o := range occs {
		out := exportOccurrence{OccurrenceInfo: o}
		if f.answers {
			m, err := meetings.Meeting(ctx, o.SeriesUID, o.RecurrenceID)
			if err != nil {
				return x, fmt.Errorf("export: occurrence %s %s: %w", o.SeriesUID, o.RecurrenceID, err)
			}
			agenda, answers, err := prep.SharedAnswers(ctx, a.db, cipher, meetings, settings, m)
			if err != nil {
				return x, err
			}
			out.Agenda, out.Answers = &agenda, answers
		}
		x.Occurrences = append(x.Occurrences, out)
	}
	return x, nil
}

// eventTime is when an event happened for --since: its occurrence's
// start, else when it was observed.
func eventTime(ev sync.Event) string {
	if ev.RecurrenceID != nil {
		return *ev.RecurrenceID
	}
	return ev.ObservedAt
}
