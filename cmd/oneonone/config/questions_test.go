package config

import (
	"slices"
	"testing"
)

func TestQuestionSetsAndPairs(t *testing.T) {
	doc := minimal + `[prep]
questions = "weekly"

[[prep.question_set]]
name = "weekly"
[[prep.question_set.question]]
id = "topics"
text = "Topics?"
[[prep.question_set.question]]
id = "career"
text = "Where do you want to be in a year?"
kind = "text"
visibility = "private"
role = "attendee"
every = 4

[[prep.question_set]]
name = "mentoring"
[[prep.question_set.question]]
id = "mood"
text = "How are you?"
kind = "scale"

[[prep.pair]]
participants = ["Ada <Ada@Example.com>", "grace@example.com"]
question_set = "mentoring"

[[prep.pair]]
participants = ["ada@example.com", "bob@example.com"]
question_set = "default"
`
	c := mustParse(t, doc, "", noEnv)
	var names []string
	for _, s := range c.Prep.QuestionSets {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"weekly", "mentoring", "default"}) {
		t.Errorf("sets = %v", names)
	}
	weekly, _ := c.QuestionSet("weekly")
	career := weekly.Questions[1]
	if career.Every != 4 || career.Role != "attendee" || career.Visibility != "private" || weekly.Questions[0].Kind != "text" || weekly.Questions[0].Every != 1 {
		t.Errorf("weekly = %+v", weekly)
	}
	if got := c.Prep.Pairs[0].Participants; !slices.Equal(got, []string{"ada@example.com", "grace@example.com"}) {
		t.Errorf("pair participants = %v", got)
	}
	for _, tc := range [][3]string{
		{"GRACE@example.com", "ada@example.com", "mentoring"},
		{"ada@example.com", "bob@example.com", "default"},
		{"ada@example.com", "carol@example.com", "weekly"},
	} {
		if got := c.QuestionSetFor(tc[0], tc[1]).Name; got != tc[2] {
			t.Errorf("QuestionSetFor(%s, %s) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}

// A set named "default" in the file replaces the built-in one.
func TestDefaultSetOverride(t *testing.T) {
	c := mustParse(t, minimal+"[[prep.question_set]]\nname = \"default\"\n[[prep.question_set.question]]\nid = \"only\"\ntext = \"Only?\"\n", "", noEnv)
	s := c.QuestionSetFor("a@x.com", "b@x.com")
	if len(c.Prep.QuestionSets) != 1 || len(s.Questions) != 1 || s.Questions[0].ID != "only" {
		t.Errorf("sets = %+v", c.Prep.QuestionSets)
	}
}
