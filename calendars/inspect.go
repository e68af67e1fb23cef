package calendars

import "time"

// Inspection is what `oneonone inspect` reports of iCalendar files (its
// documented JSON shape): every series read, whether it is a 1:1 and why,
// its occurrences in the window, and every problem met.
type Inspection struct {
	Series []SeriesReport    `json:"series"`
	Errors []Problem         `json:"errors"`
	Window map[string]string `json:"window"`
}

// SeriesReport is one series of an Inspection.
type SeriesReport struct {
	UID         string             `json:"uid"`
	Summary     string             `json:"summary"`
	TimeZone    string             `json:"timezone"`
	Organizer   string             `json:"organizer"`
	Attendees   []AttendeeReport   `json:"attendees"`
	Recurring   bool               `json:"recurring"`
	OneOnOne    bool               `json:"one_on_one"`
	Why         string             `json:"why"`
	Occurrences []OccurrenceReport `json:"occurrences"`
}

// AttendeeReport is one attendee of a SeriesReport.
type AttendeeReport struct {
	Email    string `json:"email"`
	Name     string `json:"name,omitempty"`
	PartStat string `json:"partstat"`
	Role     string `json:"role"`
	Kind     string `json:"kind"`
}

// OccurrenceReport is one occurrence of a SeriesReport.
type OccurrenceReport struct {
	RecurrenceID string `json:"recurrence_id"`
	Start        string `json:"start"`
	End          string `json:"end"`
	AllDay       bool   `json:"all_day"`
	Status       string `json:"status"`
	Moved        bool   `json:"moved"`
	Summary      string `json:"summary,omitempty"` // an override's own title
}

// Inspect reads files and reports each series, with the default
// detection rules, expanded in [from, to). unreadable are the problems of
// files that could not be read at all; a series whose expansion was cut
// short adds a problem saying why.
func Inspect(files []File, unreadable []Problem, opt ReadOptions, from, to time.Time) Inspection {
	series, probs := ReadICS(files, opt)
	out := Inspection{Series: []SeriesReport{}, Errors: append(unreadable, probs...), Window: map[string]string{
		"from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339)}}
	if out.Errors == nil {
		out.Errors = []Problem{}
	}
	rules := DefaultRules()
	for _, s := range series {
		d, cut := Describe(s, rules, from, to)
		out.Series = append(out.Series, d)
		if cut != "" {
			out.Errors = append(out.Errors, s.Problem(cut))
		}
	}
	return out
}

// Describe reports s as detected with rules and expanded in [from, to),
// and why the expansion was cut short ("" when it was not).
func Describe(s *Series, rules Rules, from, to time.Time) (SeriesReport, string) {
	d := Detect(s, rules)
	out := SeriesReport{UID: s.UID, Summary: s.Summary, TimeZone: s.TimeZone, Organizer: s.Organizer.Email,
		Attendees: []AttendeeReport{}, Recurring: s.Recurring(), OneOnOne: d.OneOnOne, Why: d.Why,
		Occurrences: []OccurrenceReport{}}
	for _, a := range s.Attendees {
		out.Attendees = append(out.Attendees, AttendeeReport{Email: a.Email, Name: a.Name,
			PartStat: string(a.PartStat), Role: a.Role, Kind: string(a.Kind)})
	}
	occs, cut := s.ExpandBounded(from, to)
	for _, o := range occs {
		out.Occurrences = append(out.Occurrences, OccurrenceReport{
			RecurrenceID: FormatKey(o.Key, o.AllDay), Start: FormatTime(o.Start, o.AllDay), End: FormatTime(o.End, o.AllDay),
			AllDay: o.AllDay, Status: string(o.Status), Moved: o.Moved, Summary: overrideSummary(s, o)})
	}
	return out, cut
}

func overrideSummary(s *Series, o Occurrence) string {
	if o.Summary != s.Summary {
		return o.Summary
	}
	return ""
}
