package web

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// pairToken is the one pair link the fake knows until it is rotated.
const pairToken = "pair_3xAmPLe-0123456789abcdefghijklmnopqrstu"

// fakePairs is the pair pages' side of the prep domain: one record.
type fakePairs struct {
	mu      sync.Mutex
	token   string
	rec     prep.PairRecord
	opens   int
	rotates int
}

func newFakePairs() *fakePairs { return &fakePairs{token: pairToken, rec: sampleRecord()} }

func (f *fakePairs) OpenPair(ctx context.Context, token string) (prep.PairRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opens++
	if token != f.token {
		return prep.PairRecord{}, prep.ErrUnknownLink
	}
	return f.rec, nil
}

func (f *fakePairs) RotatePair(ctx context.Context, token string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if token != f.token {
		return "", prep.ErrUnknownLink
	}
	f.rotates++
	f.token = "rotated-" + token[len("rotated-"):]
	return f.token, nil
}

func (f *fakePairs) rotations() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rotates
}

// sampleRecord is Grace's record with Ada: three held meetings with her
// mood (private) and energy (pair) answers, one cancelled, one coming up.
func sampleRecord() prep.PairRecord {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := func(month time.Month, day int) time.Time { return time.Date(2026, month, day, 14, 0, 0, 0, berlin) }
	notice := 3.0
	scale := func(id, vis, v string) prep.RecordAnswer {
		return prep.RecordAnswer{QuestionID: id, Question: "How is your " + id + ", 1–5?", Kind: "scale", Visibility: vis, Text: v}
	}
	held := func(day time.Time, mood, energy, theirs string) prep.RecordMeeting {
		return prep.RecordMeeting{SeriesUID: "s1", RecurrenceID: day.UTC().Format(time.RFC3339), Start: day, End: day.Add(30 * time.Minute),
			Summary: "Ada / Grace", Status: prep.StatusHeld,
			Agenda: "Grace Hopper\n- Topics?\n    The <release> plan",
			Yours: []prep.RecordAnswer{{QuestionID: "topics", Question: "Topics?", Kind: "text", Visibility: "agenda", Text: "The <release> plan"},
				scale("mood", "private", mood), scale("energy", "pair", energy)},
			Theirs: []prep.RecordAnswer{{QuestionID: "feedback", Question: "Feedback?", Kind: "text", Visibility: "pair", Text: theirs}}}
	}
	return prep.PairRecord{
		You: prep.Person{Email: "grace@example.com", Name: "Grace Hopper"}, Other: prep.Person{Email: "ada@example.com", Name: "Ada Lovelace"},
		Location: berlin,
		Meetings: []prep.RecordMeeting{
			{SeriesUID: "s1", RecurrenceID: "2026-03-17T13:00:00Z", Start: at(3, 17), End: at(3, 17).Add(30 * time.Minute),
				Summary: "Ada / Grace", Status: prep.StatusScheduled, Hidden: true,
				Yours: []prep.RecordAnswer{scale("mood", "private", "2")}},
			{SeriesUID: "s1", RecurrenceID: "2026-03-10T13:00:00Z", Start: at(3, 10), End: at(3, 10).Add(30 * time.Minute),
				Summary: "Ada / Grace", Status: prep.StatusCancelled, NoticeHours: &notice},
			held(at(2, 24), "3", "4", "Great review"),
			held(at(2, 17), "4", "2", "=HYPERLINK(\"x\")"),
			held(at(1, 27), "5", "3", "Thanks"),
		},
		Scales: []prep.ScaleSeries{
			{QuestionID: "energy", Question: "How is your energy, 1–5?", Person: prep.Person{Email: "grace@example.com"}, Yours: true,
				Points: []prep.ScalePoint{{At: at(1, 27), Value: 3}, {At: at(2, 17), Value: 2}, {At: at(2, 24), Value: 4}}},
			{QuestionID: "mood", Question: "How is your mood, 1–5?", Person: prep.Person{Email: "grace@example.com"}, Yours: true,
				Points: []prep.ScalePoint{{At: at(1, 27), Value: 5}, {At: at(2, 17), Value: 4}, {At: at(2, 24), Value: 3}, {At: at(3, 17), Value: 2}}},
			{QuestionID: "energy", Question: "How is your energy, 1–5?", Person: prep.Person{Email: "ada@example.com", Name: "Ada Lovelace"},
				Points: []prep.ScalePoint{{At: at(2, 24), Value: 5}}},
		},
		Months: []prep.MonthCount{{Month: "2026-01", Held: 1}, {Month: "2026-02", Held: 2}, {Month: "2026-03", Cancelled: 1}},
	}
}

// newPairServer is the pages over the prep fake and the pair fake.
func newPairServer(t testing.TB, pairs *fakePairs, opt ...func(*Options)) (*fakeService, func() *server) {
	t.Helper()
	fake := newFake()
	return fake, func() *server {
		o := Options{PublicURL: testPublic, Now: func() time.Time { return testNow }, Pairs: pairs}
		for _, f := range opt {
			f(&o)
		}
		s, err := newServer(fake, o)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

var _ PairService = (*prep.PairPages)(nil)

func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
