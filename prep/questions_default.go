package prep

// DefaultQuestionSet is the built-in set named "default", used unless the
// configuration defines a set of that name. Each call returns a fresh
// copy.
func DefaultQuestionSet() QuestionSet {
	q := func(id, text, kind, visibility string) SetQuestion {
		return SetQuestion{ID: id, Text: text, Kind: kind, Visibility: visibility, Role: "both", Every: 1}
	}
	return QuestionSet{
		Name: "default",
		Questions: []SetQuestion{
			q("topics", "What do you want to talk about?", "text", "agenda"),
			q("blockers", "What is blocking you, or where do you need help?", "text", "agenda"),
			q("wins", "Any wins since last time?", "text", "agenda"),
			q("feedback", "Feedback for the other person?", "text", "pair"),
			q("mood", "How are you feeling? (1–5)", "scale", "private"),
			q("next_steps", "Were last time's next steps done?", "text", "agenda"),
		},
	}
}
