package prep_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// outcomes is a fake history: it keeps the reports it got.
type outcomes struct {
	mu      sync.Mutex
	reports []string // "email outcome"
}

func (o *outcomes) Report(_ context.Context, _, _, email, outcome string, _ time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reports = append(o.reports, email+" "+outcome)
	return nil
}

// records is a fake pair record: the streaks the test sets.
type records struct{ recs []prep.PairStreak }

func (r *records) Streaks(_ context.Context, min int) ([]prep.PairStreak, error) {
	var out []prep.PairStreak
	for _, rec := range r.recs {
		if rec.Streak >= min {
			out = append(out, rec)
		}
	}
	return out, nil
}

func (e *env) around(recs *records) *prep.Around {
	return &prep.Around{DB: e.db, Meetings: e.meetings, Records: recs, Outbox: e.outbox, Links: e.links,
		Settings: e.settings, FollowUpAfter: time.Hour, CancelledInARow: 2, Notify: func() { e.notified++ }}
}

func tickAround(t *testing.T, a *prep.Around, at time.Time) prep.AroundSent {
	t.Helper()
	sent, err := a.Tick(context.Background(), at)
	if err != nil {
		t.Fatalf("tick at %s: %v", at, err)
	}
	return sent
}

var followLinkRe = regexp.MustCompile(`https://1on1\.example\.com/f/([A-Za-z0-9_-]{43})`)

// followToken reads the token of the mail with dedup key from the outbox.
func (e *env) followToken(key string) string {
	e.t.Helper()
	for _, m := range e.mails() {
		if m.DedupKey == key {
			if sm := followLinkRe.FindStringSubmatch(m.Text); sm != nil {
				return sm[1]
			}
			e.t.Fatalf("no follow-up link in %s:\n%s", key, m.Text)
		}
	}
	e.t.Fatalf("no mail %s in %v", key, e.keys())
	return ""
}

func TestFollowUpGoesOutOnceAfterTheEnd(t *testing.T) {
	e := newEnv(t)
	m := meeting(1)
	e.meetings.put(m)
	a := e.around(&records{})
	if got := tickAround(t, a, m.End.Add(59*time.Minute)); got.FollowUps != 0 {
		t.Fatalf("a follow-up before follow_up_after: %+v", got)
	}
	if got := tickAround(t, a, m.End.Add(time.Hour)); got.FollowUps != 2 {
		t.Fatalf("at follow_up_after: %+v, want one to each", got)
	}
	// Again, and after a restart (a new Around on the same database).
	if got := tickAround(t, a, m.End.Add(2*time.Hour)); got.FollowUps != 0 {
		t.Errorf("a second follow-up: %+v", got)
	}
	if got := tickAround(t, e.around(&records{}), m.End.Add(3*time.Hour)); got.FollowUps != 0 {
		t.Errorf("a follow-up again after a restart: %+v", got)
	}
	key := prep.AroundDedupKey("followup", m.SeriesUID, m.RecurrenceID, grace)
	for _, msg := range e.mails() {
		if msg.DedupKey != key {
			continue
		}
		if !strings.HasPrefix(msg.Subject, "Did your 1:1 with Ada Lovelace happen?") || msg.To[0] != `"Grace Hopper" <grace@example.com>` {
			t.Errorf("mail to grace: %q to %v", msg.Subject, msg.To)
		}
		if strings.Contains(msg.Text, "Your page for this pair") {
			t.Errorf("a pair page link without a pair URL:\n%s", msg.Text)
		}
	}
	e.followToken(key)
}

func TestFollowUpSkipsOldCancelledAndPaused(t *testing.T) {
	e := newEnv(t)
	old, cancelled, paused := meeting(1), meeting(2), meeting(3)
	cancelled.State = "cancelled"
	e.meetings.put(old)
	e.meetings.put(cancelled)
	e.meetings.put(paused)
	// Grace paused the series through her prep link.
	e.tick(paused.Start.Add(-time.Hour))
	if err := e.svc.Pause(context.Background(), e.token(paused, grace)); err != nil {
		t.Fatal(err)
	}
	a := e.around(&records{})
	// The daemon first looks a day and more after the first meeting's
	// follow-up fell due: too old to ask about.
	sent := tickAround(t, a, paused.End.Add(time.Hour))
	keys := strings.Join(e.keys(), "\n")
	if sent.FollowUps != 1 || !strings.Contains(keys, prep.AroundDedupKey("followup", paused.SeriesUID, paused.RecurrenceID, ada)) {
		t.Errorf("sent %+v, want only Ada's for the last meeting:\n%s", sent, keys)
	}
}

func TestFollowUpHeldNextStepsReachTheNextAgenda(t *testing.T) {
	e := newEnv(t)
	first, next := meeting(1), meeting(2)
	e.meetings.put(first)
	e.meetings.put(next)
	a := e.around(&records{})
	tickAround(t, a, first.End.Add(time.Hour))
	token := e.followToken(prep.AroundDedupKey("followup", first.SeriesUID, first.RecurrenceID, ada))
	out := &outcomes{}
	svc := &prep.FollowUps{DB: e.db, Meetings: e.meetings, Outcomes: out, Settings: e.settings, Now: e.clock.Now, Answers: e.answers}
	ctx := context.Background()

	f, err := svc.Open(ctx, token)
	if err != nil || f.Other.Email != grace || f.Outcome != "" || !f.Editable {
		t.Fatalf("open: %+v %v", f, err)
	}
	if _, err := svc.Save(ctx, token, "maybe", "x"); !errors.Is(err, prep.ErrInvalidOutcome) {
		t.Errorf("save without a valid choice: %v", err)
	}
	if _, err := svc.Save(ctx, token, prep.OutcomeHeld, "Ship the draft\r\nby Friday"); err != nil {
		t.Fatal(err)
	}
	if f, _ := svc.Open(ctx, token); f.Outcome != prep.OutcomeHeld || f.NextSteps != "Ship the draft\nby Friday" {
		t.Errorf("after save: %+v", f)
	}
	if strings.Join(out.reports, ",") != "ada@example.com held" {
		t.Errorf("reported %v", out.reports)
	}
	e.tick(next.Start.Add(-23 * time.Hour))
	form, err := e.svc.Open(ctx, e.token(next, grace))
	if err != nil {
		t.Fatal(err)
	}
	want := "Ada Lovelace — Next steps agreed\n  Ship the draft\n  by Friday"
	if !strings.Contains(form.PreviousNextSteps, want) {
		t.Errorf("next meeting's carried-over steps:\n%s\nwant %q", form.PreviousNextSteps, want)
	}
	agenda := prep.ComposeAgenda(next, nil, nil, form.PreviousNextSteps)
	if !strings.Contains(agenda, "Ship the draft") {
		t.Errorf("agenda without the next steps:\n%s", agenda)
	}

	// "Not held" drops the steps: nothing to carry from a meeting that
	// did not happen.
	if _, err := svc.Save(ctx, token, prep.OutcomeNotHeld, "Ship the draft"); err != nil {
		t.Fatal(err)
	}
	form, _ = e.svc.Open(ctx, e.token(next, grace))
	if strings.Contains(form.PreviousNextSteps, "Ship the draft") {
		t.Errorf("steps of a meeting said not held are carried:\n%s", form.PreviousNextSteps)
	}
}

func TestFollowUpLinkPausesTheSeries(t *testing.T) {
	e := newEnv(t)
	first, next := meeting(1), meeting(2)
	e.meetings.put(first)
	e.meetings.put(next)
	tickAround(t, e.around(&records{}), first.End.Add(time.Hour))
	token := e.followToken(prep.AroundDedupKey("followup", first.SeriesUID, first.RecurrenceID, grace))
	svc := &prep.FollowUps{DB: e.db, Meetings: e.meetings, Outcomes: &outcomes{}, Settings: e.settings, Now: e.clock.Now, Answers: e.answers}
	// The link works for a week after the meeting, then only pauses.
	e.clock.Set(first.End.Add(8 * 24 * time.Hour))
	if _, err := svc.Open(context.Background(), token); !errors.Is(err, prep.ErrExpiredLink) {
		t.Errorf("open after a week: %v", err)
	}
	if err := svc.Pause(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	if sent := e.tick(next.Start.Add(-time.Hour)); sent.Invites != 1 {
		t.Errorf("invites after Grace paused: %+v, want Ada's only", sent)
	}
	if _, err := svc.Open(context.Background(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); !errors.Is(err, prep.ErrUnknownLink) {
		t.Errorf("an unknown token: %v", err)
	}
}

func TestNudgeOncePerStreak(t *testing.T) {
	e := newEnv(t)
	notice := 5.0
	rec := prep.PairStreak{People: [2]prep.Person{{Email: ada, Name: "Ada Lovelace"}, {Email: grace, Name: "Grace Hopper"}},
		SeriesUID: "s1@example.com", Summary: "Ada / Grace weekly", Streak: 2, StreakStart: "2026-03-10T13:00:00Z",
		Held: 6, Missed: 2, TypicalNoticeHours: &notice}
	recs := &records{recs: []prep.PairStreak{rec}}
	a := e.around(recs)
	if got := tickAround(t, a, t0); got.Nudges != 2 {
		t.Fatalf("nudges: %+v, want one to each", got)
	}
	rec.Streak = 3 // the same streak grows: no second nudge
	recs.recs = []prep.PairStreak{rec}
	if got := tickAround(t, a, t0.Add(time.Hour)); got.Nudges != 0 {
		t.Errorf("a second nudge in one streak: %+v", got)
	}
	msg := e.mails()[0]
	for _, want := range []string{"your last 2 1:1s with Grace Hopper", "of your last 8 1:1s, 6 took place and 2 did not",
		"about 5 hours of notice", "moving the meeting"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("nudge text lacks %q:\n%s", want, msg.Text)
		}
	}
	// Grace pauses from the nudge's footer; a new streak nudges Ada only.
	token := e.followToken(prep.AroundDedupKey("nudge", rec.SeriesUID, rec.StreakStart, grace))
	svc := &prep.FollowUps{DB: e.db, Meetings: e.meetings, Outcomes: &outcomes{}, Settings: e.settings, Now: e.clock.Now, Answers: e.answers}
	if f, err := svc.Open(context.Background(), token); err != nil || f.Kind != "nudge" || f.Editable {
		t.Errorf("open a nudge link: %+v %v", f, err)
	}
	if _, err := svc.Save(context.Background(), token, prep.OutcomeHeld, ""); !errors.Is(err, prep.ErrUnknownLink) {
		t.Errorf("save through a nudge link: %v", err)
	}
	if err := svc.Pause(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	rec.Streak, rec.StreakStart = 2, "2026-04-07T12:00:00Z"
	recs.recs = []prep.PairStreak{rec}
	if got := tickAround(t, a, t0.Add(2*time.Hour)); got.Nudges != 1 {
		t.Errorf("nudges of a new streak after Grace paused: %+v, want Ada's", got)
	}
}

// The daemon asks about meetings whose follow-up fell due up to a day
// before it looked, not older ones (after downtime, say).
func TestFollowUpLooksBackOneDay(t *testing.T) {
	for _, c := range []struct {
		late time.Duration
		want int
	}{{23 * time.Hour, 2}, {25 * time.Hour, 0}} {
		e := newEnv(t)
		m := meeting(1)
		e.meetings.put(m)
		if got := tickAround(t, e.around(&records{}), m.End.Add(time.Hour+c.late)); got.FollowUps != c.want {
			t.Errorf("first look %s after it fell due: %d follow-ups, want %d", c.late, got.FollowUps, c.want)
		}
	}
}
