package prep

import (
	"context"
	"sort"
	"strconv"
	"time"
)

// record builds the record of link l from the meetings of its timeline
// (newest first).
func (p *PairPages) record(ctx context.Context, now time.Time, l pairLink, ms []PastMeeting) (PairRecord, error) {
	rec := PairRecord{You: Person{Email: l.Email}, Other: Person{Email: l.A}, Location: p.Settings.location(Meeting{})}
	if l.Email == l.A {
		rec.Other.Email = l.B
	}
	if len(ms) > 0 {
		latest := ms[0].Meeting
		rec.You, rec.Other = people(latest, request{Email: l.Email})
		rec.Location = p.Settings.location(latest)
	}
	scales := newScaleSet()
	for _, m := range ms {
		rm, reqs, answers, err := p.meeting(ctx, now, l.Email, m)
		if err != nil {
			return PairRecord{}, err
		}
		rec.Meetings = append(rec.Meetings, rm)
		scales.add(m.Meeting, rec.You, reqs[l.Email], answers[l.Email], true)
		if !rm.Hidden {
			o := normEmail(rec.Other.Email)
			scales.add(m.Meeting, rec.Other, reqs[o], answers[o], false)
		}
	}
	rec.Scales = scales.list()
	rec.Months = months(ms, now, rec.Location)
	return rec, nil
}

// meeting is one occurrence as the reader (email) may see it.
func (p *PairPages) meeting(ctx context.Context, now time.Time, email string, m PastMeeting) (RecordMeeting, map[string]request, map[string]map[string]string, error) {
	rm := RecordMeeting{SeriesUID: m.SeriesUID, RecurrenceID: m.RecurrenceID, Start: m.Start, End: m.End,
		Summary: m.Summary, Status: m.Status, Moved: m.Moved, NoticeHours: m.NoticeHours}
	reqs, err := requestsOf(ctx, onDB(p.DB), m.SeriesUID, m.RecurrenceID)
	if err != nil {
		return rm, nil, nil, err
	}
	answers, err := allAnswers(ctx, onDB(p.DB), p.Answers, reqs)
	if err != nil {
		return rm, nil, nil, err
	}
	rm.Yours = recordAnswers(reqs[email].Questions, answers[email], false)
	rm.Hidden = !p.Settings.revealed(reqs, m.Meeting, now)
	for e, r := range reqs {
		if e != email && !rm.Hidden {
			rm.Theirs = recordAnswers(r.Questions, answers[e], true)
		}
	}
	if !now.Before(m.Start) && !rm.Hidden {
		rm.Agenda = ComposeAgenda(m.Meeting, agendaQuestions(m.Meeting, reqs), answers, "")
	}
	// The next steps both agreed in their follow-ups of this meeting.
	if rm.NextSteps, err = followUpCarryOver(ctx, onDB(p.DB), p.Answers, m.Meeting); err != nil {
		return rm, nil, nil, err
	}
	if rm.Hidden { // the reader's own answers still count; the other's are not passed on
		for e := range answers {
			if e != email {
				delete(answers, e)
			}
		}
	}
	return rm, reqs, answers, nil
}

// recordAnswers lists the answered questions of qs in order; shared
// keeps only those the other person may see (agenda and pair).
func recordAnswers(qs []Question, answers map[string]string, shared bool) []RecordAnswer {
	var out []RecordAnswer
	for _, q := range qs {
		text := answers[q.ID]
		if text == "" || shared && q.Visibility != VisibilityAgenda && q.Visibility != VisibilityPair {
			continue
		}
		out = append(out, RecordAnswer{QuestionID: q.ID, Question: q.Text, Kind: q.Kind, Visibility: q.Visibility, Text: text})
	}
	return out
}

// months counts held and not happened meetings per month, up to now.
func months(ms []PastMeeting, now time.Time, loc *time.Location) []MonthCount {
	by := map[string]*MonthCount{}
	for _, m := range ms {
		held := m.Status == StatusHeld && m.Start.Before(now)
		if !held && !didNotHappen(m.Status) {
			continue
		}
		key := m.Start.In(loc).Format("2006-01")
		c, ok := by[key]
		if !ok {
			c = &MonthCount{Month: key}
			by[key] = c
		}
		if held {
			c.Held++
		} else {
			c.Cancelled++
		}
	}
	out := make([]MonthCount, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Month < out[j].Month })
	return out
}

// scaleSet gathers the scale answers per question and person.
type scaleSet struct {
	order []string
	by    map[string]*ScaleSeries
}

func newScaleSet() *scaleSet { return &scaleSet{by: map[string]*ScaleSeries{}} }

// add records the scale answers of one request at meeting m. Meetings
// come newest first, so a series keeps its newest question text and its
// points are reversed in list.
func (s *scaleSet) add(m Meeting, who Person, r request, answers map[string]string, yours bool) {
	for _, q := range r.Questions {
		if q.Kind != "scale" || !yours && q.Visibility != VisibilityAgenda && q.Visibility != VisibilityPair {
			continue
		}
		v, err := strconv.Atoi(answers[q.ID])
		if err != nil || v < 1 || v > 5 {
			continue
		}
		key := q.ID + "\x00" + normEmail(who.Email)
		ser, ok := s.by[key]
		if !ok {
			ser = &ScaleSeries{QuestionID: q.ID, Question: q.Text, Person: who, Yours: yours}
			s.by[key] = ser
			s.order = append(s.order, key)
		}
		ser.Points = append(ser.Points, ScalePoint{At: m.Start, Value: v})
	}
}

// list returns the series: yours first, then by question id.
func (s *scaleSet) list() []ScaleSeries {
	out := make([]ScaleSeries, 0, len(s.order))
	for _, k := range s.order {
		ser := *s.by[k]
		for i, j := 0, len(ser.Points)-1; i < j; i, j = i+1, j-1 {
			ser.Points[i], ser.Points[j] = ser.Points[j], ser.Points[i]
		}
		out = append(out, ser)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Yours != out[j].Yours {
			return out[i].Yours
		}
		return out[i].QuestionID < out[j].QuestionID
	})
	return out
}
