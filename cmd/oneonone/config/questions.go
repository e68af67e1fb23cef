package config

import (
	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/prep"
)

// DefaultQuestionSet is prep's built-in set named "default", used unless
// the file defines a set of that name.
func DefaultQuestionSet() QuestionSet {
	d := prep.DefaultQuestionSet()
	s := QuestionSet{Name: d.Name}
	for _, q := range d.Questions {
		s.Questions = append(s.Questions, Question(q))
	}
	return s
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
	a, b = calendars.NormalizeEmail(a), calendars.NormalizeEmail(b)
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
