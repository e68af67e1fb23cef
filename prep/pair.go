package prep

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// PairHistory is what the pair page needs from the sync engine's store.
type PairHistory interface {
	// PairOccurrences returns the occurrences of every series of the
	// pair of a and b (lowercased, a < b) that start before until, oldest
	// first, with what became of each.
	PairOccurrences(ctx context.Context, a, b string, until time.Time) ([]PastMeeting, error)
}

// PastMeeting is an occurrence of a pair with what became of it.
type PastMeeting = calendars.PastMeeting

// The statuses of PastMeeting.
const (
	StatusHeld      = calendars.PastHeld
	StatusNotHeld   = calendars.PastNotHeld
	StatusCancelled = calendars.PastCancelled
	StatusDeclined  = calendars.PastDeclined
	StatusMoved     = calendars.PastMoved
	StatusScheduled = calendars.PastScheduled
)

// didNotHappen reports a status that counts as cancelled in the charts.
func didNotHappen(status string) bool {
	return status == StatusCancelled || status == StatusDeclined || status == StatusNotHeld
}

// PairRecord is everything one person's pair page shows: the same data
// the page's exports hold.
type PairRecord struct {
	You, Other Person
	Location   *time.Location // where times are shown
	// Meetings are the pair's occurrences, newest first: every past one
	// and, of those to come, the changed ones and the next.
	Meetings []RecordMeeting
	Scales   []ScaleSeries // one per scale question and person shown
	Months   []MonthCount  // held vs did not happen, oldest month first
}

// RecordMeeting is one occurrence on the pair page.
type RecordMeeting struct {
	SeriesUID, RecurrenceID string
	Start, End              time.Time
	Summary                 string
	Status                  string
	Moved                   bool
	NoticeHours             *float64
	Agenda                  string // the composed agenda, once the meeting has started
	NextSteps               string // agreed after it in the follow-ups, when any
	Yours                   []RecordAnswer
	Theirs                  []RecordAnswer // only what the reader may see, and only once revealed
	Hidden                  bool           // Theirs is held back until both answered (reveal after_both)
}

// RecordAnswer is one answer to one question.
type RecordAnswer struct {
	QuestionID, Question string
	Kind, Visibility     string
	Text                 string
}

// ScaleSeries is one person's answers to one 1–5 question over time.
type ScaleSeries struct {
	QuestionID, Question string
	Person               Person
	Yours                bool
	Points               []ScalePoint // oldest first
}

// ScalePoint is one answer of a ScaleSeries.
type ScalePoint struct {
	At    time.Time // the meeting's start
	Value int       // 1–5
}

// MonthCount is how many of the pair's meetings in one month were held
// and how many did not happen (cancelled, declined, not held).
type MonthCount struct {
	Month     string // 2006-01, in the record's zone
	Held      int
	Cancelled int
}

// PairPages serves the pair pages: open one by its link, rotate its link.
type PairPages struct {
	DB       *sql.DB
	History  PairHistory
	Links    *Links
	Settings Settings
	Answers  *AnswerCipher    // decrypts the answers; required
	Now      func() time.Time // the clock; time.Now when nil
}

// OpenPair returns the record a pair link shows, or ErrUnknownLink. It only
// reads.
func (p *PairPages) OpenPair(ctx context.Context, token string) (PairRecord, error) {
	l, err := pairLinkByToken(ctx, onDB(p.DB), token)
	if err != nil {
		return PairRecord{}, err
	}
	now := clock(p.Now)
	ms, err := p.History.PairOccurrences(ctx, l.A, l.B, now.Add(timelineAhead))
	if err != nil {
		return PairRecord{}, fmt.Errorf("prep: occurrences of %s,%s: %w", l.A, l.B, err)
	}
	return p.record(ctx, now, l, timeline(ms, now))
}

// RotatePair gives the link of token a new token and returns it; the old
// link is unknown from then on.
func (p *PairPages) RotatePair(ctx context.Context, token string) (string, error) {
	if p.Links == nil {
		return "", errNoLinks
	}
	return rotatePairLink(ctx, p.DB, p.Links, token, clock(p.Now))
}

// The timeline's bounds: how far ahead changed meetings are shown, and
// how many meetings at most (about three years of a weekly 1:1).
const (
	timelineAhead = 60 * 24 * time.Hour
	timelineMax   = 160
)

// timeline picks the meetings the page shows from ms (oldest first) and
// returns them newest first.
func timeline(ms []PastMeeting, now time.Time) []PastMeeting {
	var out []PastMeeting
	next := false
	for _, m := range ms {
		if m.Status == "superseded" {
			continue
		}
		if !m.Start.Before(now) && m.Status == StatusScheduled {
			if next {
				continue
			}
			next = true
		}
		out = append(out, m)
	}
	if len(out) > timelineMax {
		out = out[len(out)-timelineMax:]
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
