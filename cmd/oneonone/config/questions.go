package config

import "strings"

// DefaultQuestionSet is the built-in set named "default", used unless the
// file defines a set of that name.
func DefaultQuestionSet() QuestionSet {
	q := func(id, text, kind, visibility string) Question {
		return Question{ID: id, Text: text, Kind: kind, Visibility: visibility, Role: "both", Every: 1}
	}
	return QuestionSet{
		Name: "default",
		Questions: []Question{
			q("topics", "What do you want to talk about?", "text", "agenda"),
			q("blockers", "What is blocking you, or where do you need help?", "text", "agenda"),
			q("wins", "Any wins since last time?", "text", "agenda"),
			q("feedback", "Feedback for the other person?", "text", "pair"),
			q("mood", "How are you feeling? (1–5)", "scale", "private"),
			q("next_steps", "Were last time's next steps done?", "text", "agenda"),
		},
	}
}

// QuestionSet returns the set with the given name.
func (c *Config) QuestionSet(name string) (QuestionSet, bool) {
	for _, s := range c.Prep.QuestionSets {
		if s.Name == name {
			return s, true
		}
	}
	return QuestionSet{}, false
}

// QuestionSetFor returns the set for the pair of a and b (email addresses,
// in any order and case): the set of their [[prep.pair]] rule, else the one
// named by prep.questions.
func (c *Config) QuestionSetFor(a, b string) QuestionSet {
	a, b = strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(b))
	if b < a {
		a, b = b, a
	}
	name := c.Prep.Questions
	for _, p := range c.Prep.Pairs {
		if len(p.Participants) == 2 && p.Participants[0] == a && p.Participants[1] == b {
			name = p.QuestionSet
			break
		}
	}
	s, _ := c.QuestionSet(name)
	return s
}
