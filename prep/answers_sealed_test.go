package prep_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// dbBytes is everything in the database's files: the file, its WAL and
// shared memory.
func (e *env) dbBytes() []byte {
	e.t.Helper()
	if e.dbFile == "" {
		return e.tableText()
	}
	var all []byte
	files, _ := filepath.Glob(e.dbFile + "*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			e.t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// A copy of the database files shows no answer, private or not, and no
// edit of one; the form still shows them to their author.
func TestAnswersNotInDatabaseFiles(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	ctx := context.Background()
	secrets := map[string]string{"topics": "Zanzibar reorg plans", "mood": "2", "growth": "quitting in March maybe"}
	e.save(graceTok, secrets)
	e.save(graceTok, map[string]string{"growth": "staying after all, Quokka"})
	e.save(adaTok, map[string]string{"topics": "Walrus budget"})
	f, err := e.svc.Open(ctx, graceTok)
	if err != nil || f.Answers["topics"] != "Zanzibar reorg plans" || f.Answers["growth"] != "staying after all, Quokka" {
		t.Fatalf("the form does not show the saved answers: %v %v", f.Answers, err)
	}
	all := e.dbBytes()
	for _, text := range []string{"Zanzibar", "quitting in March", "Quokka", "Walrus"} {
		if bytes.Contains(all, []byte(text)) {
			t.Errorf("%q is readable in the database files", text)
		}
	}
	if !bytes.Contains(all, []byte(prep.HashToken(adaTok))) {
		t.Fatal("a token hash is not in the files: are these the database's files?")
	}
}

// An answer's ciphertext copied to another row (the other person's
// request, another question) does not open there.
func TestAnswerMovedToAnotherRowFailsToOpen(t *testing.T) {
	for name, move := range map[string]string{
		"other person": `UPDATE prep_answers SET text = (SELECT text FROM prep_answers WHERE request_id = (SELECT id FROM prep_requests WHERE email = 'ada@example.com') AND question_id = 'topics')
			WHERE request_id = (SELECT id FROM prep_requests WHERE email = 'grace@example.com') AND question_id = 'topics'`,
		"other question": `UPDATE prep_answers SET text = (SELECT text FROM prep_answers WHERE question_id = 'feedback' AND request_id = prep_answers.request_id)
			WHERE request_id = (SELECT id FROM prep_requests WHERE email = 'grace@example.com') AND question_id = 'topics'`,
	} {
		t.Run(name, func(t *testing.T) {
			e, adaTok, graceTok := invited(t)
			e.save(adaTok, map[string]string{"topics": "ada's private plan"})
			e.save(graceTok, map[string]string{"topics": "grace's topic", "feedback": "grace's feedback"})
			if _, err := e.db.Exec(move); err != nil {
				t.Fatal(err)
			}
			f, err := e.svc.Open(context.Background(), graceTok)
			if err == nil || !strings.Contains(err.Error(), "cannot be decrypted") {
				t.Fatalf("a moved answer opened: %q, %v", f.Answers["topics"], err)
			}
		})
	}
}

// A database of an older version, answers and edits in plain text, is
// encrypted in place at the first start, once; a restart changes nothing.
func TestPlainAnswersAreEncryptedOnUpgrade(t *testing.T) {
	e, adaTok, _ := invited(t)
	ctx := context.Background()
	// Back to what an older version left: no step record, no key record,
	// plain text.
	var req int64
	if err := e.db.QueryRow(`SELECT id FROM prep_requests WHERE email = 'ada@example.com'`).Scan(&req); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DELETE FROM schema_migrations WHERE owner = 'prep-steps'`,
		`DROP TABLE prep_answer_key`,
		`INSERT INTO prep_answers (request_id, question_id, text, updated_at) VALUES (?1, 'topics', 'Narwhal roadmap', '2026-03-01T09:00:00.000000Z'),
			(?1, 'mood', '4', '2026-03-01T09:00:00.000000Z')`,
		`INSERT INTO prep_answer_edits (request_id, question_id, text, edited_at) VALUES (?1, 'topics', 'Narwhal draft', '2026-03-01T08:00:00.000000Z'),
			(?1, 'topics', 'Narwhal roadmap', '2026-03-01T09:00:00.000000Z'), (?1, 'mood', '4', '2026-03-01T09:00:00.000000Z')`,
	} {
		var args []any
		if strings.Contains(q, "?1") {
			args = append(args, req)
		}
		if _, err := e.db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	if err := prep.SealAnswers(ctx, e.db, e.answers); err != nil {
		t.Fatal(err)
	}
	f, err := e.svc.Open(ctx, adaTok)
	if err != nil || f.Answers["topics"] != "Narwhal roadmap" || f.Answers["mood"] != "4" {
		t.Fatalf("after the upgrade the form shows %v, %v", f.Answers, err)
	}
	edits := e.storedEdits()
	if strings.Join(edits, "|") != "topics=Narwhal draft|topics=Narwhal roadmap|mood=4" {
		t.Fatalf("edits after the upgrade: %q", edits)
	}
	if bytes.Contains(e.dbBytes(), []byte("Narwhal")) {
		t.Error("plain answers are still readable in the database files after the upgrade")
	}
	before := e.dumpTables()
	if err := prep.SealAnswers(ctx, e.db, e.answers); err != nil {
		t.Fatal(err)
	}
	if after := e.dumpTables(); after != before {
		t.Fatal("a second start encrypted the answers again")
	}
}

// A start with another secrets key fails, saying what to do, and writes
// nothing; the right key still opens every answer.
func TestAnotherKeyIsRefusedAtStart(t *testing.T) {
	e, adaTok, _ := invited(t)
	e.save(adaTok, map[string]string{"topics": "kept"})
	before := e.dumpTables()
	other, err := prep.NewAnswerCipher(prep.AnswerKey([]byte(strings.Repeat("z", 32))))
	if err != nil {
		t.Fatal(err)
	}
	err = prep.SealAnswers(context.Background(), e.db, other)
	if err == nil || !strings.Contains(err.Error(), "not the one the answers in this database were encrypted with") || !strings.Contains(err.Error(), "key file back") {
		t.Fatalf("another key: %v", err)
	}
	if after := e.dumpTables(); after != before {
		t.Fatal("a refused key changed rows")
	}
	if f, err := e.svc.Open(context.Background(), adaTok); err != nil || f.Answers["topics"] != "kept" {
		t.Fatalf("with the right key: %v %v", f.Answers, err)
	}
}

// storedEdits is the edit history, decrypted, oldest first.
func (e *env) storedEdits() []string {
	e.t.Helper()
	rows, err := e.db.Query(`SELECT request_id, question_id, text FROM prep_answer_edits ORDER BY id`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var req int64
		var id, stored string
		if err := rows.Scan(&req, &id, &stored); err != nil {
			e.t.Fatal(err)
		}
		text, err := prep.OpenStored(e.answers, "edit", req, id, stored)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, id+"="+text)
	}
	return out
}

// heldFollowUp is a follow-up of the first of two meetings, answered
// "held" by Ada with steps; it returns its service and link token.
func heldFollowUp(t *testing.T, e *env, steps string) (*prep.FollowUps, string, prep.Meeting) {
	t.Helper()
	first, next := meeting(1), meeting(2)
	e.meetings.put(first)
	e.meetings.put(next)
	tickAround(t, e.around(&records{}), first.End.Add(time.Hour))
	token := e.followToken(prep.AroundDedupKey("followup", first.SeriesUID, first.RecurrenceID, ada))
	svc := &prep.FollowUps{DB: e.db, Meetings: e.meetings, Outcomes: &outcomes{}, Settings: e.settings, Now: e.clock.Now, Answers: e.answers}
	if _, err := svc.Save(context.Background(), token, prep.OutcomeHeld, steps); err != nil {
		t.Fatal(err)
	}
	return svc, token, next
}

// A follow-up's next steps are answers too: a copy of the database files
// does not show them; the follow-up page and the next form still do.
func TestNextStepsNotInDatabaseFiles(t *testing.T) {
	e := newEnv(t)
	svc, token, next := heldFollowUp(t, e, "Pangolin reorg: tell the team")
	ctx := context.Background()
	if f, err := svc.Open(ctx, token); err != nil || f.NextSteps != "Pangolin reorg: tell the team" {
		t.Fatalf("the follow-up page shows %q, %v", f.NextSteps, err)
	}
	e.tick(next.Start.Add(-23 * time.Hour))
	form, err := e.svc.Open(ctx, e.token(next, grace))
	if err != nil || !strings.Contains(form.PreviousNextSteps, "Pangolin reorg") {
		t.Fatalf("the next form carries %q, %v", form.PreviousNextSteps, err)
	}
	if bytes.Contains(e.dbBytes(), []byte("Pangolin")) {
		t.Error("next steps are readable in the database files")
	}
}

// Next steps copied to another follow-up's row do not open there.
func TestNextStepsMovedToAnotherRowFailsToOpen(t *testing.T) {
	e := newEnv(t)
	svc, _, _ := heldFollowUp(t, e, "ada's steps")
	first := meeting(1)
	graceTok := e.followToken(prep.AroundDedupKey("followup", first.SeriesUID, first.RecurrenceID, grace))
	if _, err := e.db.Exec(`UPDATE prep_followups SET next_steps = (SELECT next_steps FROM prep_followups WHERE email = ?)
		WHERE email = ?`, ada, grace); err != nil {
		t.Fatal(err)
	}
	if f, err := svc.Open(context.Background(), graceTok); err == nil || !strings.Contains(err.Error(), "cannot be decrypted") {
		t.Fatalf("moved next steps opened: %q, %v", f.NextSteps, err)
	}
}

// Next steps an older version stored in plain text are encrypted at the
// next start, once; the page and the next form still show them.
func TestPlainNextStepsAreEncryptedOnUpgrade(t *testing.T) {
	e := newEnv(t)
	svc, token, next := heldFollowUp(t, e, "placeholder")
	ctx := context.Background()
	for _, q := range []string{
		`DELETE FROM schema_migrations WHERE owner = 'prep-steps' AND version = 2`,
		`UPDATE prep_followups SET next_steps = 'Okapi budget by Friday' WHERE next_steps <> ''`,
	} {
		if _, err := e.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := prep.SealAnswers(ctx, e.db, e.answers); err != nil {
		t.Fatal(err)
	}
	if f, err := svc.Open(ctx, token); err != nil || f.NextSteps != "Okapi budget by Friday" {
		t.Fatalf("after the upgrade the page shows %q, %v", f.NextSteps, err)
	}
	if bytes.Contains(e.dbBytes(), []byte("Okapi")) {
		t.Error("plain next steps are still readable in the database files after the upgrade")
	}
	before := e.dumpTables()
	if err := prep.SealAnswers(ctx, e.db, e.answers); err != nil {
		t.Fatal(err)
	}
	if after := e.dumpTables(); after != before {
		t.Fatal("a second start encrypted the next steps again")
	}
	e.tick(next.Start.Add(-23 * time.Hour))
	if form, err := e.svc.Open(ctx, e.token(next, grace)); err != nil || !strings.Contains(form.PreviousNextSteps, "Okapi budget") {
		t.Fatalf("the next form carries %q, %v", form.PreviousNextSteps, err)
	}
}

// tableText is every row of every table as PostgreSQL prints it, where
// there are no database files to read.
func (e *env) tableText() []byte {
	e.t.Helper()
	rows, err := e.db.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`)
	if err != nil {
		e.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			e.t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var all []byte
	for _, name := range tables {
		rows, err := e.db.Query(`SELECT CAST(r AS TEXT) FROM ` + name + ` r`)
		if err != nil {
			e.t.Fatal(err)
		}
		for rows.Next() {
			var text string
			if err := rows.Scan(&text); err != nil {
				e.t.Fatal(err)
			}
			all = append(all, text...)
		}
		rows.Close()
	}
	return all
}

// OpenKeys, what a start calls, refuses a secrets key that is not the
// one the stored answers were sealed with, saying what to do.
func TestOpenKeysRefusesAnotherKey(t *testing.T) {
	e, adaTok, _ := invited(t)
	e.save(adaTok, map[string]string{"topics": "kept"})
	if _, err := prep.OpenKeys(context.Background(), e.db, []byte(strings.Repeat("z", 32))); err == nil || !strings.Contains(err.Error(), "key file back") {
		t.Fatalf("another key: %v", err)
	}
}
