package prep_test

import (
	"slices"
	"testing"

	"github.com/oneonone/oneonone/prep"
)

func TestDefaultQuestionSet(t *testing.T) {
	s := prep.DefaultQuestionSet()
	var ids []string
	for _, q := range s.Questions {
		ids = append(ids, q.ID+":"+q.Kind+":"+q.Visibility)
		if q.Text == "" || q.Role != "both" || q.Every != 1 {
			t.Errorf("question %+v", q)
		}
	}
	want := []string{"topics:text:agenda", "blockers:text:agenda", "wins:text:agenda",
		"feedback:text:pair", "mood:scale:private", "next_steps:text:agenda"}
	if s.Name != "default" || !slices.Equal(ids, want) {
		t.Errorf("set %q ids %v, want default %v", s.Name, ids, want)
	}
	// Each call returns a fresh copy, so a caller cannot change the next one.
	s.Questions[0].Text = "changed"
	if prep.DefaultQuestionSet().Questions[0].Text == "changed" {
		t.Error("DefaultQuestionSet shares its slice")
	}
}
