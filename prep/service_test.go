package prep_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// invited returns an env whose meeting 1 has sent its invites, and the
// two tokens.
func invited(t *testing.T) (e *env, adaTok, graceTok string) {
	e = newEnv(t)
	e.meetings.put(meeting(1))
	e.tick(start.Add(-24 * time.Hour))
	return e, e.token(meeting(1), ada), e.token(meeting(1), grace)
}

func TestUnknownLinks(t *testing.T) {
	e, tok, _ := invited(t)
	ctx := context.Background()
	other := strings.Repeat("A", 43)
	for _, bad := range []string{"", "x", other, tok + "A", tok[:42], strings.ReplaceAll(tok, tok[:1], "!")} {
		if _, err := e.svc.Open(ctx, bad); !errors.Is(err, prep.ErrUnknownLink) {
			t.Errorf("Open(%q): %v", bad, err)
		}
		if _, err := e.svc.Save(ctx, bad, nil); !errors.Is(err, prep.ErrUnknownLink) {
			t.Errorf("Save(%q): %v", bad, err)
		}
		if err := e.svc.Pause(ctx, bad); !errors.Is(err, prep.ErrUnknownLink) {
			t.Errorf("Pause(%q): %v", bad, err)
		}
	}
}

func TestLinkExpiresAfterEndPlusGrace(t *testing.T) {
	e, tok, _ := invited(t)
	ctx := context.Background()
	expiry := meeting(1).End.Add(24 * time.Hour)
	e.clock.Set(expiry.Add(-time.Second))
	if _, err := e.svc.Open(ctx, tok); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
	e.clock.Set(expiry)
	if _, err := e.svc.Open(ctx, tok); !errors.Is(err, prep.ErrExpiredLink) {
		t.Fatalf("at expiry: %v", err)
	}
	if _, err := e.svc.Save(ctx, tok, map[string]string{"topics": "x"}); !errors.Is(err, prep.ErrExpiredLink) {
		t.Fatalf("save at expiry: %v", err)
	}
	// Pause keeps working: the one-click link of an old mail must.
	if err := e.svc.Pause(ctx, tok); err != nil {
		t.Fatalf("pause with an expired link: %v", err)
	}
	// A meeting that left the calendar takes its links with it.
	e2, tok2, _ := invited(t)
	e2.meetings = &meetings{}
	e2.rewire()
	if _, err := e2.svc.Open(ctx, tok2); !errors.Is(err, prep.ErrExpiredLink) {
		t.Fatalf("meeting gone: %v", err)
	}
}

func TestSaveLocksAtStart(t *testing.T) {
	e, tok, graceTok := invited(t)
	ctx := context.Background()
	e.clock.Set(start.Add(-time.Minute))
	if _, err := e.svc.Save(ctx, tok, map[string]string{"topics": "roadmap", "mood": "4"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Save(ctx, graceTok, map[string]string{"topics": "hiring", "growth": "secret"}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(start)
	if _, err := e.svc.Save(ctx, tok, map[string]string{"topics": "late"}); !errors.Is(err, prep.ErrLocked) {
		t.Fatalf("save at start: %v", err)
	}
	f, err := e.svc.Open(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if f.Editable || f.Answers["topics"] != "roadmap" {
		t.Fatalf("after start: editable %v, answers %v", f.Editable, f.Answers)
	}
	if !strings.Contains(f.Agenda, "roadmap") || !strings.Contains(f.Agenda, "hiring") || strings.Contains(f.Agenda, "secret") {
		t.Fatalf("read-only agenda:\n%s", f.Agenda)
	}
}

func TestPrivateAnswersNeverShared(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	ctx := context.Background()
	_, err := e.svc.Save(ctx, graceTok, map[string]string{
		"topics": "hiring", "feedback": "more reviews", "mood": "2", "growth": "thinking of leaving",
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.svc.Open(ctx, adaTok)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"topics": "hiring", "feedback": "more reviews"}
	if len(f.Shared) != len(want) || f.Shared["topics"] != want["topics"] || f.Shared["feedback"] != want["feedback"] {
		t.Fatalf("shared with Ada: %v", f.Shared)
	}
	if f.Other.Email != grace || f.You.Email != ada || f.Role != prep.RoleOrganizer || len(f.Answers) != 0 {
		t.Fatalf("Ada's form: you %v, other %v, role %s, answers %v", f.You, f.Other, f.Role, f.Answers)
	}
	g, err := e.svc.Open(ctx, graceTok)
	if err != nil {
		t.Fatal(err)
	}
	if g.Answers["growth"] != "thinking of leaving" || g.Answers["mood"] != "2" || g.Role != prep.RoleAttendee {
		t.Fatalf("Grace's own answers: %v (%s)", g.Answers, g.Role)
	}
}

func TestSaveValidates(t *testing.T) {
	e, tok, _ := invited(t)
	ctx := context.Background()
	for name, answers := range map[string]map[string]string{
		"unknown question":   {"nope": "x"},
		"other role's":       {"growth": "x"},
		"too long":           {"topics": strings.Repeat("é", 4001)},
		"scale out of 1–5":   {"mood": "6"},
		"scale not number":   {"mood": "good"},
		"one bad among ok's": {"topics": "fine", "mood": "0"},
	} {
		f, err := e.svc.Save(ctx, tok, answers)
		var ae *prep.AnswerError
		if !errors.As(err, &ae) || !errors.Is(err, prep.ErrInvalidAnswer) {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(f.Questions) == 0 || len(f.Answers) != 0 {
			t.Errorf("%s: the form returned with the error: %d questions, answers %v", name, len(f.Questions), f.Answers)
		}
	}
	if _, err := e.svc.Save(ctx, tok, map[string]string{"topics": strings.Repeat("é", 4000), "mood": ""}); err != nil {
		t.Fatalf("longest answer: %v", err)
	}
}

func TestSaveKeepsHistoryAndMarksAnswered(t *testing.T) {
	e, tok, _ := invited(t)
	ctx := context.Background()
	steps := []map[string]string{
		{"topics": ""}, // nothing typed yet: no change
		{"topics": "roadmap\r\nhiring  \r\n", "mood": "3"}, // CRLF from the browser
		{"topics": "roadmap\nhiring"},                      // the same: no edit
		{"topics": "hiring"},
		{"topics": ""}, // cleared
	}
	for i, a := range steps {
		e.clock.Set(t0.Add(time.Duration(i) * time.Hour))
		f, err := e.svc.Save(ctx, tok, a)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && (f.Answers["topics"] != "roadmap\nhiring" || !f.UpdatedAt.Equal(e.clock.Now())) {
			t.Fatalf("saved %q at %s", f.Answers["topics"], f.UpdatedAt)
		}
	}
	rows, err := e.db.Query(`SELECT e.request_id, e.question_id, e.text FROM prep_answer_edits e ORDER BY e.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var req int64
		var id, stored string
		if err := rows.Scan(&req, &id, &stored); err != nil {
			t.Fatal(err)
		}
		text, err := prep.OpenStored(e.answers, "edit", req, id, stored)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, id+"="+text)
	}
	want := []string{"topics=roadmap\nhiring", "mood=3", "topics=hiring", "topics="}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("edits %q", got)
	}
	if n := e.count(`SELECT count(*) FROM prep_answers WHERE question_id = 'topics'`); n != 0 {
		t.Fatalf("a cleared answer kept its row")
	}
	var answered string
	e.db.QueryRow(`SELECT answered_at FROM prep_requests WHERE email = ?`, ada).Scan(&answered)
	if answered != "2026-03-02T10:00:00.000000Z" {
		t.Fatalf("answered_at %q, want the first save with an answer", answered)
	}
}

func TestFormLocationAndPreviousNextSteps(t *testing.T) {
	e := newEnv(t)
	e.settings.Location = time.FixedZone("Default", 3600)
	e.rewire()
	ctx := context.Background()
	m1, m2 := meeting(1), meeting(2)
	m2.TimeZone = ""
	e.meetings.put(m1)
	e.meetings.put(m2)
	e.tick(m1.Start.Add(-23 * time.Hour))
	_, err := e.svc.Save(ctx, e.token(m1, ada), map[string]string{"next_steps": "ship v2", "topics": "roadmap", "mood": "1"})
	if err != nil {
		t.Fatal(err)
	}
	f1, _ := e.svc.Open(ctx, e.token(m1, ada))
	e.tick(m2.Start.Add(-23 * time.Hour))
	e.clock.Set(m2.Start.Add(-time.Hour))
	f2, err := e.svc.Open(ctx, e.token(m2, grace))
	if err != nil {
		t.Fatal(err)
	}
	if f1.Location.String() != "Europe/Berlin" || f2.Location.String() != "Default" {
		t.Fatalf("locations %s, %s", f1.Location, f2.Location)
	}
	want := "Ada Lovelace — Q next_steps?\n  ship v2\nAda Lovelace — Q topics?\n  roadmap"
	if f2.PreviousNextSteps != want {
		t.Fatalf("previous next steps:\n%s\nwant:\n%s", f2.PreviousNextSteps, want)
	}
}

// The token is in the mail and nowhere in the database: not in the
// requests, not in the outbox, not in the WAL.
func TestRawTokenNotInDatabase(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	ctx := context.Background()
	e.tick(start.Add(-time.Hour)) // reminders too
	if _, err := e.svc.Save(ctx, adaTok, map[string]string{"topics": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Pause(ctx, graceTok); err != nil {
		t.Fatal(err)
	}
	all := e.dbBytes()
	for _, tok := range []string{adaTok, graceTok} {
		if bytes.Contains(all, []byte(tok)) {
			t.Fatalf("token %s found in the database", tok)
		}
		if !bytes.Contains(all, []byte(prep.HashToken(tok))) {
			t.Fatalf("the hash of %s is not in the database: is this the right file?", tok)
		}
	}
}

// dumpTables returns every row of prep's and the outbox's tables.
func (e *env) dumpTables() string {
	e.t.Helper()
	var b strings.Builder
	for _, table := range []string{"prep_requests", "prep_answers", "prep_answer_edits", "prep_pauses", "prep_followups", "prep_agenda_writes", "mailer_outbox"} {
		rows, err := e.db.Query(`SELECT * FROM ` + table)
		if err != nil {
			e.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			fmt.Fprintln(&b, table, vals)
		}
		rows.Close()
	}
	return b.String()
}

// Opening a form, as mail scanners do, changes nothing, before and after
// the meeting starts.
func TestOpenChangesNothing(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	e.save(graceTok, map[string]string{"topics": "hiring"})
	before := e.dumpTables()
	for i := 0; i < 100; i++ {
		e.clock.Set(start.Add(time.Duration(i-50) * time.Minute))
		for _, tok := range []string{adaTok, graceTok, strings.Repeat("x", 43)} {
			e.svc.Open(context.Background(), tok)
		}
	}
	if after := e.dumpTables(); after != before {
		t.Fatalf("Open changed rows:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}
