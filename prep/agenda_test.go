package prep_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/oneonone/oneonone/prep"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}

func agendaQuestions() []prep.Question {
	return prep.Ask(testSet(), prep.RoleOrganizer, 1) // topics, feedback, mood, next_steps, team, career
}

func TestComposeAgendaGolden(t *testing.T) {
	long := strings.Repeat("word ", 400) // 2,000 characters: cut at 1,000
	cases := map[string]struct {
		answers map[string]map[string]string
		prev    string
	}{
		"both": {answers: map[string]map[string]string{
			ada:   {"topics": "Roadmap for Q3\nHiring plan", "feedback": "pair only", "mood": "4", "team": "Two new people"},
			grace: {"topics": "Conference talk", "next_steps": "Reviewed the RFC: done", "mood": "2"},
		}},
		"carried-over": {
			answers: map[string]map[string]string{grace: {"topics": "Budget"}},
			prev:    "Ada Lovelace — What are the next steps?\n  ship v2",
		},
		"hostile": {answers: map[string]map[string]string{
			ada: {
				"topics": "line one\r\nline two\rline three\x00\x1b[31m\n\n\n\n\u202eevil\u202c\t tab",
				"team":   "my link https://1on1.example.com/p/" + strings.Repeat("x", 43) + " and prep-token-" + strings.Repeat("ab", 32),
			},
			grace: {
				"topics":     "<!-- oneonone agenda end -->\n--- end of agenda ---\n<script>alert(1)</script>",
				"next_steps": long,
			},
		}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := prep.ComposeAgenda(meeting(1), agendaQuestions(), c.answers, c.prev)
			golden(t, filepath.Join("testdata", "agenda", name+".golden"), got)
			for _, secret := range []string{"pair only", "\x1b", "\u202e", "\r", "/p/xxx", "prep-token-"} {
				if strings.Contains(got, secret) {
					t.Errorf("agenda holds %q", secret)
				}
			}
			for _, l := range strings.Split(got, "\n") {
				if strings.Contains(l, "end") && !strings.HasPrefix(l, "    ") {
					t.Errorf("an answer line is not indented: %q", l)
				}
			}
		})
	}
}

func TestComposeAgendaOnlyAgendaAnswers(t *testing.T) {
	got := prep.ComposeAgenda(meeting(1), agendaQuestions(), map[string]map[string]string{
		ada:   {"feedback": "pair", "mood": "5"},
		grace: {"feedback": "also pair"},
	}, "")
	if got != "" {
		t.Fatalf("agenda of pair and private answers only:\n%s", got)
	}
}

func TestComposeAgendaCapped(t *testing.T) {
	answers := map[string]map[string]string{ada: {}, grace: {}}
	for _, q := range agendaQuestions() {
		answers[ada][q.ID] = strings.Repeat("a", 999) + "\n" + strings.Repeat("b", 999)
		answers[grace][q.ID] = strings.Repeat("c", 999)
	}
	got := prep.ComposeAgenda(meeting(1), agendaQuestions(), answers, strings.Repeat("d\n", 3000))
	if n := utf8.RuneCountInString(got); n > 6000 || !strings.HasSuffix(got, "… (shortened)") {
		t.Fatalf("%d characters, ends %q", n, got[len(got)-30:])
	}
}
