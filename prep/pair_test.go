package prep_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// PairOccurrences makes the fake store a prep.PairHistory: the status is
// the state, and no notice is known.
func (f *meetings) PairOccurrences(_ context.Context, a, b string, until time.Time) ([]prep.PastMeeting, error) {
	var out []prep.PastMeeting
	for _, m := range f.all() {
		if m.People[0].Email == a && m.People[1].Email == b && m.Start.Before(until) {
			out = append(out, prep.PastMeeting{Meeting: m, Status: m.State})
		}
	}
	return out, nil
}

var pairLinkRe = regexp.MustCompile(`https://1on1\.example\.com/pair/([A-Za-z0-9_-]{43})`)

// pairToken returns the pair link token in the invite to email for m.
func (e *env) pairToken(m prep.Meeting, email string) string {
	e.t.Helper()
	key := prep.DedupKey(m.SeriesUID, m.RecurrenceID, email, "invite")
	for _, msg := range e.mails() {
		if msg.DedupKey == key {
			sm := pairLinkRe.FindStringSubmatch(msg.Text)
			if sm == nil || !strings.Contains(msg.HTML, "/pair/"+sm[1]) {
				e.t.Fatalf("no pair link in both parts of %s:\n%s", key, msg.Text)
			}
			return sm[1]
		}
	}
	e.t.Fatalf("no invite %s", key)
	return ""
}

func (e *env) pairPages() *prep.PairPages {
	return &prep.PairPages{DB: e.db, History: e.meetings, Links: e.links, Settings: e.settings, Now: e.clock.Now, Answers: e.answers}
}

// pairEnv is invited with pair links in the mails.
func pairEnv(t *testing.T, reveal string) (e *env, adaTok, graceTok string) {
	e = newEnv(t)
	e.settings.Links, e.settings.Reveal = e.links, reveal
	e.rewire()
	e.meetings.put(meeting(1))
	e.tick(start.Add(-24 * time.Hour))
	return e, e.token(meeting(1), ada), e.token(meeting(1), grace)
}

func TestPairRecordShowsEachPersonWhatTheyMaySee(t *testing.T) {
	e, adaTok, graceTok := pairEnv(t, "")
	e.save(adaTok, map[string]string{"topics": "Ada's roadmap", "feedback": "Ada's feedback", "mood": "4", "team": "Ada's team"})
	e.save(graceTok, map[string]string{"topics": "Grace's hiring", "mood": "2", "growth": "Grace's secret"})
	gracePair, adaPair := e.pairToken(meeting(1), grace), e.pairToken(meeting(1), ada)
	if gracePair == adaPair || gracePair == graceTok {
		t.Fatal("pair links are not personal")
	}
	held := meeting(1)
	held.State = "held"
	e.meetings.put(held)
	cancelled := meeting(2)
	cancelled.State = "cancelled"
	e.meetings.put(cancelled)
	e.clock.Set(start.Add(8 * 24 * time.Hour))

	rec, err := e.pairPages().OpenPair(context.Background(), gracePair)
	if err != nil {
		t.Fatal(err)
	}
	if rec.You.Email != grace || rec.Other.Email != ada || len(rec.Meetings) != 2 {
		t.Fatalf("record: you %v, other %v, %d meetings", rec.You, rec.Other, len(rec.Meetings))
	}
	m := rec.Meetings[1] // newest first
	if m.Status != "held" || rec.Meetings[0].Status != "cancelled" {
		t.Fatalf("statuses %s, %s", rec.Meetings[0].Status, m.Status)
	}
	if got := answerTexts(m.Yours); got != "topics=Grace's hiring mood=2 growth=Grace's secret" {
		t.Errorf("Grace's own answers: %s", got)
	}
	if got := answerTexts(m.Theirs); got != "topics=Ada's roadmap feedback=Ada's feedback team=Ada's team" {
		t.Errorf("Ada's answers as Grace sees them: %s", got)
	}
	if !strings.Contains(m.Agenda, "Ada's roadmap") || !strings.Contains(m.Agenda, "Grace's hiring") || strings.Contains(m.Agenda, "feedback") {
		t.Errorf("the agenda of the held meeting:\n%s", m.Agenda)
	}
	if len(rec.Scales) != 1 || rec.Scales[0].Person.Email != grace || rec.Scales[0].Points[0].Value != 2 {
		t.Errorf("scales: %+v (Ada's mood is private)", rec.Scales)
	}
	if len(rec.Months) != 1 || rec.Months[0] != (prep.MonthCount{Month: "2026-03", Held: 1, Cancelled: 1}) {
		t.Errorf("months: %+v", rec.Months)
	}

	adaRec, err := e.pairPages().OpenPair(context.Background(), adaPair)
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprintf("%+v", adaRec); strings.Contains(s, "Grace's secret") || len(adaRec.Scales) != 1 || adaRec.Scales[0].Person.Email != ada {
		t.Errorf("Ada's record shows Grace's private answers: %s", s)
	}
}

func TestPairLinkRotation(t *testing.T) {
	e, _, _ := pairEnv(t, "")
	old := e.pairToken(meeting(1), grace)
	pages := e.pairPages()
	ctx := context.Background()
	fresh, err := pages.RotatePair(ctx, old)
	if err != nil || fresh == old {
		t.Fatalf("rotate: %q, %v", fresh, err)
	}
	if _, err := pages.OpenPair(ctx, old); !errors.Is(err, prep.ErrUnknownLink) {
		t.Errorf("the old link after rotation: %v", err)
	}
	if rec, err := pages.OpenPair(ctx, fresh); err != nil || rec.You.Email != grace {
		t.Errorf("the new link: %v, %v", rec.You, err)
	}
	for _, bad := range []string{"", "x", strings.Repeat("A", 43), e.token(meeting(1), grace)} {
		if _, err := pages.OpenPair(ctx, bad); !errors.Is(err, prep.ErrUnknownLink) {
			t.Errorf("OpenPair(%q): %v", bad, err)
		}
	}
	// The next mail carries the new link.
	e.meetings.put(meeting(2))
	e.tick(meeting(2).Start.Add(-24 * time.Hour))
	if got := e.pairToken(meeting(2), grace); got != fresh {
		t.Errorf("the next invite links %q, want the rotated link", got)
	}
	if n := e.count(`SELECT count(*) FROM prep_pair_links`); n != 2 {
		t.Errorf("%d pair links, want one per person", n)
	}
	if n := e.count(`SELECT count(*) FROM prep_pair_links WHERE token_hash = ?`, prep.HashToken(fresh)); n != 1 {
		t.Errorf("the new token is not stored as its hash")
	}
	if strings.Contains(e.dumpTables(), fresh) {
		t.Error("the raw pair token is in the database")
	}
}

func TestRevealAfterBoth(t *testing.T) {
	e, adaTok, graceTok := pairEnv(t, prep.RevealAfterBoth)
	ctx := context.Background()
	w := &writer{}
	aw := e.agendaWorker(w)
	e.save(adaTok, map[string]string{"topics": "Ada's roadmap", "feedback": "Ada's feedback"})
	now := start.Add(-20 * time.Hour)
	if _, err := e.agendaTick(aw, now); err != nil {
		t.Fatal(err)
	}
	for _, b := range w.blocks {
		if strings.Contains(b, "Ada's roadmap") {
			t.Errorf("the event shows Ada's answer before Grace answered:\n%s", b)
		}
	}
	g, err := e.svc.Open(ctx, graceTok)
	if err != nil || len(g.Shared) != 0 || !g.Hidden {
		t.Fatalf("Grace's form before she answered: shared %v, hidden %v, %v", g.Shared, g.Hidden, err)
	}
	rec, err := e.pairPages().OpenPair(ctx, e.pairToken(meeting(1), grace))
	if err != nil || !rec.Meetings[0].Hidden || len(rec.Meetings[0].Theirs) != 0 {
		t.Fatalf("Grace's pair page before she answered: %+v, %v", rec.Meetings, err)
	}

	e.save(graceTok, map[string]string{"topics": "Grace's hiring"})
	if g, _ = e.svc.Open(ctx, graceTok); g.Shared["topics"] != "Ada's roadmap" || g.Hidden {
		t.Errorf("Grace's form after both answered: %v", g.Shared)
	}
	if a, _ := e.svc.Open(ctx, adaTok); a.Shared["topics"] != "Grace's hiring" {
		t.Errorf("Ada's form after both answered: %v", a.Shared)
	}
	// Past the quiet period after the last save: the settled agenda.
	if _, err := e.agendaTick(aw, now.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if len(w.blocks) == 0 {
		t.Fatal("no agenda written after both answered")
	}
	if last := w.blocks[len(w.blocks)-1]; !strings.Contains(last, "Ada's roadmap") || !strings.Contains(last, "Grace's hiring") {
		t.Errorf("the event after both answered:\n%s", last)
	}
}

// Without after_both, a meeting that starts shows everything anyway; and
// with it, the start reveals what one person answered alone.
func TestRevealAfterBothAtTheStart(t *testing.T) {
	e, adaTok, graceTok := pairEnv(t, prep.RevealAfterBoth)
	e.save(adaTok, map[string]string{"topics": "Ada's roadmap"})
	e.clock.Set(start.Add(time.Minute))
	g, err := e.svc.Open(context.Background(), graceTok)
	if err != nil || g.Shared["topics"] != "Ada's roadmap" || !strings.Contains(g.Agenda, "Ada's roadmap") {
		t.Errorf("Grace's page once the meeting started: %v, agenda %q, %v", g.Shared, g.Agenda, err)
	}
}

func answerTexts(as []prep.RecordAnswer) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, a.QuestionID+"="+a.Text)
	}
	return strings.Join(parts, " ")
}
