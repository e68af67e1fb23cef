package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// exportWorld is the sample weekly 1:1 synced from Radicale, with both
// people's answers of every visibility to the meeting of 12 January and
// Grace's confirmation that it happened.
func exportWorld(t *testing.T, adminReads bool) (file string, now time.Time) {
	srv := caldavtest.StartRadicale(t)
	col := srv.MakeCalendar(t, "test", "work")
	data, _ := os.ReadFile("testdata/weekly-1on1.ics")
	srv.Put(t, "test", col+"sample.ics", data)
	dir := t.TempDir()
	file = filepath.Join(dir, "oneonone.toml")
	os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\npublic_url = \"http://127.0.0.1:8080\"\nadmin_reads_answers = %v\n[mail]\nfrom = \"oneonone@example.com\"\n"+
		"[[calendar]]\nname = \"ada\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\n", dir, adminReads, col)), 0o600)
	now = time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	if out, errOut, code := runCmd(t, now, nil, "sync", "--once", "--config", file); code != 0 {
		t.Fatalf("sync: %d\n%s%s", code, out, errOut)
	}
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(dir, "oneonone.db"), sync.Schema, mailerSchema, prepSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	const key = "2026-01-12T09:00:00Z"
	questions := `[{"id":"topics","text":"Topics?","kind":"text","visibility":"agenda"},` +
		`{"id":"feedback","text":"Feedback?","kind":"text","visibility":"pair"},{"id":"mood","text":"Mood?","kind":"scale","visibility":"private"}]`
	for i, who := range []string{"ada", "grace"} {
		up := strings.ToUpper(who)
		_, err := d.Exec(`INSERT INTO prep_requests (id, series_uid, recurrence_id, email, role, questions, token_seed, token_hash, created_at, answered_at, expires_at)
			VALUES (?, 'sample-weekly-1on1@oneonone', ?, ?, 'attendee', ?, 'seed', ?, '2026-01-11T09:00:00.000000Z', '2026-01-11T10:00:00.000000Z', '2026-01-13T09:00:00.000000Z')`,
			i+1, key, who+"@example.com", questions, "hash-"+who)
		for _, a := range [][2]string{{"topics", up + "-AGENDA"}, {"feedback", up + "-PAIR"}, {"mood", "4 " + up + "-PRIVATE"}} {
			if err == nil {
				_, err = d.Exec(`INSERT INTO prep_answers (request_id, question_id, text, updated_at) VALUES (?, ?, ?, '2026-01-11T10:00:00.000000Z')`, i+1, a[0], a[1])
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// Answers are stored sealed with the secrets key, as the daemon does
	// at start with plain ones.
	secret := bytes.Repeat([]byte("e"), 32)
	if err := os.WriteFile(filepath.Join(dir, "secrets.key"), secret, 0o400); err != nil {
		t.Fatal(err)
	}
	cipher, err := prep.NewAnswerCipher(prep.AnswerKey(secret))
	if err == nil {
		err = prep.SealAnswers(ctx, d, cipher)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := (sync.Outcomes{DB: d}).Report(ctx, "sample-weekly-1on1@oneonone", key, "grace@example.com", prep.OutcomeHeld, now); err != nil {
		t.Fatal(err)
	}
	return file, now
}

func TestExportWithoutAnswers(t *testing.T) {
	file, now := exportWorld(t, false)
	out, errOut, code := runCmd(t, now, nil, "export", "--config", file, "--pair", "Grace@example.com,ada@example.com")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	var x struct {
		Pair        []string
		Occurrences []map[string]any
		Events      []struct {
			Kind         string
			RecurrenceID *string  `json:"recurrence_id"`
			ConfirmedBy  []string `json:"confirmed_by"`
		}
		Counts struct {
			Held   int
			Streak *int
			Rate   *float64 `json:"cancel_rate_8"`
		}
	}
	if err := json.Unmarshal([]byte(out), &x); err != nil {
		t.Fatalf("export JSON: %v\n%s", err, out)
	}
	if strings.Join(x.Pair, ",") != "ada@example.com,grace@example.com" || len(x.Occurrences) < 5 {
		t.Errorf("pair %v, %d occurrences", x.Pair, len(x.Occurrences))
	}
	first := x.Occurrences[0]
	if first["recurrence_id"] != "2026-01-05T09:00:00Z" || first["start"] != "2026-01-05T10:00:00+01:00" || first["status"] != "held" {
		t.Errorf("first occurrence: %v", first)
	}
	if _, ok := first["agenda"]; ok {
		t.Errorf("an agenda without --include-answers: %v", first)
	}
	held := false
	for _, e := range x.Events {
		held = held || (e.Kind == "held" && strings.Join(e.ConfirmedBy, ",") == "grace@example.com")
	}
	if !held || x.Counts.Held != 1 || x.Counts.Streak == nil || x.Counts.Rate == nil {
		t.Errorf("events %+v, counts %+v", x.Events, x.Counts)
	}
	if strings.Contains(out, "AGENDA") || strings.Contains(out, "PAIR") || strings.Contains(out, "PRIVATE") {
		t.Errorf("answer text without --include-answers:\n%s", out)
	}
	// The answers are refused without the config's consent, naming the key.
	out, errOut, code = runCmd(t, now, nil, "export", "--config", file, "--pair", "ada@example.com,grace@example.com", "--include-answers")
	if code != 1 || out != "" || !strings.Contains(errOut, "admin_reads_answers = true") {
		t.Errorf("--include-answers without admin_reads_answers: exit %d, out %q, err %q", code, out, errOut)
	}
	// --since, and a usage error.
	out, _, _ = runCmd(t, now, nil, "export", "--config", file, "--pair", "ada@example.com,grace@example.com", "--since", "2026-01-20")
	if strings.Contains(out, `"recurrence_id": "2026-01-12`) || !strings.Contains(out, `"2026-01-26T09:00:00Z"`) {
		t.Errorf("--since 2026-01-20:\n%s", out)
	}
	if _, errOut, code := runCmd(t, now, nil, "export", "--config", file, "--pair", "ada@example.com"); code != 2 || !strings.Contains(errOut, "two email addresses") {
		t.Errorf("one address: %d %s", code, errOut)
	}
	// The history command shows the confirmation and the new counts.
	out, _, _ = runCmd(t, now, nil, "history", "--config", file)
	if !strings.Contains(out, "confirmed by grace@example.com") || !strings.Contains(out, "0 not held") {
		t.Errorf("history:\n%s", out)
	}
}

func TestExportWithAnswersNeverPrivate(t *testing.T) {
	file, now := exportWorld(t, true)
	args := []string{"export", "--config", file, "--pair", "ada@example.com,grace@example.com", "--include-answers"}
	out, errOut, code := runCmd(t, now, nil, args...)
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	var x struct {
		Occurrences []struct {
			RecurrenceID string `json:"recurrence_id"`
			Agenda       *string
			Answers      []prep.SharedAnswer
		}
	}
	if err := json.Unmarshal([]byte(out), &x); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range x.Occurrences {
		if o.Agenda == nil {
			t.Errorf("%s: no agenda key with --include-answers", o.RecurrenceID)
		}
		for _, a := range o.Answers {
			got = append(got, o.RecurrenceID+" "+a.Email+" "+a.Visibility+" "+a.Text)
		}
		if o.RecurrenceID == "2026-01-12T09:00:00Z" && (!strings.Contains(*o.Agenda, "ADA-AGENDA") || !strings.Contains(*o.Agenda, "GRACE-AGENDA")) {
			t.Errorf("agenda of 12 Jan: %q", *o.Agenda)
		}
	}
	want := "2026-01-12T09:00:00Z ada@example.com agenda ADA-AGENDA|2026-01-12T09:00:00Z ada@example.com pair ADA-PAIR|" +
		"2026-01-12T09:00:00Z grace@example.com agenda GRACE-AGENDA|2026-01-12T09:00:00Z grace@example.com pair GRACE-PAIR"
	if strings.Join(got, "|") != want {
		t.Errorf("answers:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
	for _, format := range []string{"json", "csv", "md"} {
		out, _, code := runCmd(t, now, nil, append(args, "--format", format)...)
		if code != 0 || strings.Contains(out, "PRIVATE") || !strings.Contains(out, "GRACE-PAIR") {
			t.Errorf("%s: exit %d, private answers or no pair answers:\n%s", format, code, out)
		}
		if format != "csv" {
			continue
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("CSV: %v", err)
		}
		if strings.Join(rows[0], ",") != "series_uid,summary,recurrence_id,start,end,status,agenda,answers" || len(rows) != len(x.Occurrences)+1 {
			t.Errorf("CSV header %v, %d rows for %d occurrences", rows[0], len(rows), len(x.Occurrences))
		}
	}
}
