package prep_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

func key(m prep.Meeting, email, kind string) string {
	return prep.DedupKey(m.SeriesUID, m.RecurrenceID, email, kind)
}

func TestInviteOncePerPersonAcrossTicks(t *testing.T) {
	e := newEnv(t)
	m := meeting(1)
	e.meetings.put(m)
	if s := e.tick(start.Add(-25 * time.Hour)); s.Invites != 0 {
		t.Fatalf("invites before send_before: %+v", s)
	}
	if s := e.tick(start.Add(-24 * time.Hour)); s.Invites != 2 || s.Reminders != 0 {
		t.Fatalf("first tick: %+v", s)
	}
	for i := 1; i <= 5; i++ {
		if s := e.tick(start.Add(-24*time.Hour + time.Duration(i)*time.Minute)); s.Invites != 0 {
			t.Fatalf("tick %d sent again: %+v", i, s)
		}
	}
	want := []string{key(m, ada, "invite"), key(m, grace, "invite")}
	if got := e.keys(); !slices.Equal(got, want) {
		t.Fatalf("outbox %v, want %v", got, want)
	}
	if n := e.count(`SELECT count(*) FROM prep_requests WHERE sent_at IS NOT NULL`); n != 2 {
		t.Fatalf("%d requests sent", n)
	}
	if e.notified == 0 {
		t.Error("the outbox worker was not notified")
	}
	msg := e.mails()[0]
	if msg.Subject != "Prep for your 1:1 with Grace Hopper — Tue 14:00" || msg.To[0] != `"Ada Lovelace" <ada@example.com>` {
		t.Errorf("invite to %v: %q", msg.To, msg.Subject)
	}
}

// A failure between the request and its mail leaves neither: here the
// outbox refuses the mail (a From it cannot parse) after the request row
// was inserted in the same transaction.
func TestInviteAtomicWithOutbox(t *testing.T) {
	e := newEnv(t)
	e.settings.From = "not an address"
	e.rewire()
	e.meetings.put(meeting(1))
	e.clock.Set(start.Add(-time.Hour * 20))
	if _, err := e.sched.Tick(context.Background(), e.clock.Now()); err == nil {
		t.Fatal("tick with a broken From succeeded")
	}
	if n := e.count(`SELECT count(*) FROM prep_requests`); n != 0 {
		t.Fatalf("%d requests without their mail", n)
	}
	if n := e.count(`SELECT count(*) FROM mailer_outbox`); n != 0 {
		t.Fatalf("%d mails", n)
	}
	// Fixed, the next tick sends both.
	e.settings.From = "oneonone@example.com"
	e.rewire()
	if s := e.tick(e.clock.Now().Add(time.Minute)); s.Invites != 2 {
		t.Fatalf("after the fix: %+v", s)
	}
}

func TestCancelledMeetingGetsNothing(t *testing.T) {
	for _, state := range []string{"cancelled", "declined", "superseded"} {
		e := newEnv(t)
		m := meeting(1)
		m.State = state
		e.meetings.put(m)
		e.tick(start.Add(-23 * time.Hour))
		e.tick(start.Add(-time.Hour))
		if ks := e.keys(); len(ks) != 0 {
			t.Errorf("%s: mails %v", state, ks)
		}
	}
}

func TestReminderOnlyToWhoHasNotAnsweredOnce(t *testing.T) {
	e := newEnv(t)
	m := meeting(1)
	e.meetings.put(m)
	e.tick(start.Add(-24 * time.Hour))
	if _, err := e.svc.Save(context.Background(), e.token(m, ada), map[string]string{"topics": "roadmap"}); err != nil {
		t.Fatal(err)
	}
	if s := e.tick(start.Add(-2*time.Hour - time.Second)); s.Reminders != 0 {
		t.Fatalf("reminder before its time: %+v", s)
	}
	if s := e.tick(start.Add(-2 * time.Hour)); s.Reminders != 1 {
		t.Fatalf("reminders at their time: %+v", s)
	}
	e.tick(start.Add(-time.Hour))
	e.tick(start.Add(-time.Minute))
	var reminders []string
	for _, k := range e.keys() {
		if strings.HasSuffix(k, ":remind") {
			reminders = append(reminders, k)
		}
	}
	if !slices.Equal(reminders, []string{key(m, grace, "remind")}) {
		t.Fatalf("reminders %v", reminders)
	}
	if msg := e.mails()[2]; !strings.HasPrefix(msg.Subject, "Reminder: prep for your 1:1 with Ada Lovelace") {
		t.Errorf("reminder subject %q", msg.Subject)
	}
}

func TestReminderDisabled(t *testing.T) {
	e := newEnv(t)
	e.settings.RemindBefore = 0
	e.rewire()
	e.meetings.put(meeting(1))
	e.tick(start.Add(-24 * time.Hour))
	if s := e.tick(start.Add(-time.Minute)); s.Reminders != 0 {
		t.Fatalf("reminders with remind_before 0: %+v", s)
	}
}

// An invite that goes out inside the reminder window is not followed by
// a reminder: the meeting was added an hour before it starts.
func TestNoReminderRightAfterALateInvite(t *testing.T) {
	e := newEnv(t)
	e.meetings.put(meeting(1))
	if s := e.tick(start.Add(-time.Hour)); s.Invites != 2 {
		t.Fatalf("late invites: %+v", s)
	}
	if s := e.tick(start.Add(-time.Hour + time.Minute)); s.Reminders != 0 {
		t.Fatalf("reminder right after the invite: %+v", s)
	}
}

func TestMovedMeetingKeepsRequestAndRetimesReminder(t *testing.T) {
	e := newEnv(t)
	m := meeting(1)
	e.meetings.put(m)
	e.tick(start.Add(-24 * time.Hour))
	tok := e.token(m, ada)
	if _, err := e.svc.Save(context.Background(), tok, map[string]string{"topics": "roadmap"}); err != nil {
		t.Fatal(err)
	}
	// Moved three hours later: same key, new start.
	moved := m
	moved.Start, moved.End, moved.State = m.Start.Add(3*time.Hour), m.End.Add(3*time.Hour), "moved"
	e.meetings.put(moved)
	if s := e.tick(start.Add(-2 * time.Hour)); s != (prep.Sent{}) {
		t.Fatalf("at the old reminder time: %+v", s)
	}
	if s := e.tick(moved.Start.Add(-2 * time.Hour)); s.Reminders != 1 || s.Invites != 0 {
		t.Fatalf("at the new reminder time: %+v", s)
	}
	if n := e.count(`SELECT count(*) FROM prep_requests`); n != 2 {
		t.Fatalf("%d requests after the move", n)
	}
	f, err := e.svc.Open(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if f.Answers["topics"] != "roadmap" || !f.Meeting.Start.Equal(moved.Start) {
		t.Fatalf("after the move: answers %v, start %s", f.Answers, f.Meeting.Start)
	}
	// The link follows the new end too.
	e.clock.Set(m.End.Add(24*time.Hour + time.Minute))
	if _, err := e.svc.Open(context.Background(), tok); err != nil {
		t.Fatalf("link expired by the old end: %v", err)
	}
}

func TestPausedPersonGetsNothingUntilResumed(t *testing.T) {
	e := newEnv(t)
	m1, m2 := meeting(1), meeting(2)
	e.meetings.put(m1)
	e.meetings.put(m2)
	e.tick(start.Add(-24 * time.Hour))
	tok := e.token(m1, grace)
	if err := e.svc.Pause(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	if f, err := e.svc.Open(context.Background(), tok); err != nil || !f.Paused {
		t.Fatalf("form while paused: %v %v", f.Paused, err)
	}
	e.tick(start.Add(-time.Hour)) // no reminder for Grace
	e.tick(m2.Start.Add(-23 * time.Hour))
	want := []string{key(m1, ada, "invite"), key(m1, grace, "invite"), key(m1, ada, "remind"), key(m2, ada, "invite")}
	if got := e.keys(); !slices.Equal(got, want) {
		t.Fatalf("while paused: %v", got)
	}
	// m1's link has expired by now; it still resumes.
	if _, err := e.svc.Open(context.Background(), tok); err != prep.ErrExpiredLink {
		t.Fatalf("old link: %v", err)
	}
	if err := e.svc.Resume(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	if s := e.tick(m2.Start.Add(-22 * time.Hour)); s.Invites != 1 {
		t.Fatalf("after resume: %+v", s)
	}
	if got := e.keys(); got[len(got)-1] != key(m2, grace, "invite") {
		t.Fatalf("after resume: %v", got)
	}
}

func TestCadenceAndRoles(t *testing.T) {
	e := newEnv(t)
	for n := 1; n <= 9; n++ {
		m := meeting(n)
		e.meetings.put(m)
		e.tick(m.Start.Add(-23 * time.Hour))
	}
	for n := 1; n <= 9; n++ {
		m := meeting(n)
		for _, who := range []string{ada, grace} {
			e.clock.Set(m.Start.Add(-time.Hour))
			f, err := e.svc.Open(context.Background(), e.token(m, who))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, q := range f.Questions {
				ids = append(ids, q.ID)
			}
			want := []string{"topics", "feedback", "mood", "next_steps", "team"}
			if who == grace {
				want[4] = "growth"
			}
			if n%4 == 1 {
				want = append(want, "career")
			}
			if !slices.Equal(ids, want) {
				t.Errorf("meeting %d, %s: questions %v, want %v", n, who, ids, want)
			}
		}
	}
}

func TestNoQuestionsNoInvite(t *testing.T) {
	e := newEnv(t)
	e.settings.QuestionSet = nil
	e.rewire()
	e.meetings.put(meeting(1))
	if s := e.tick(start.Add(-time.Hour * 20)); s.Invites != 0 {
		t.Fatalf("invites without questions: %+v", s)
	}
}

// Anyone can put a series into a watched calendar and choose its rule and
// attendees: a minutely series of 300 with an outsider gets invites for
// its next occurrence only, not for every occurrence inside send_before.
func TestOnlyTheNextOccurrenceIsInvited(t *testing.T) {
	e := newEnv(t)
	first := t0.Add(30 * time.Minute)
	outsider := "victim@elsewhere.example"
	for i := range 300 {
		st := first.Add(time.Duration(i) * time.Minute)
		e.meetings.put(prep.Meeting{
			SeriesUID: "spam@example.com", RecurrenceID: st.Format(time.RFC3339), Start: st, End: st.Add(time.Minute),
			Summary: "1:1", Organizer: ada, People: [2]prep.Person{{Email: ada}, {Email: outsider}},
			State: "scheduled", Number: i + 1,
		})
	}
	for i := range 6 {
		e.tick(t0.Add(time.Duration(i) * 10 * time.Second))
	}
	ks := e.keys()
	if len(ks) != 2 {
		t.Fatalf("%d mails, want the 2 invites of the next occurrence: %v", len(ks), ks)
	}
	next := first.Format(time.RFC3339)
	for _, k := range ks {
		if !strings.Contains(k, next) {
			t.Errorf("mail %s is not for the next occurrence %s", k, next)
		}
	}
}

// When the next occurrence is cancelled, the one after it is the next.
func TestCancelledNextOccurrenceInvitesTheFollowing(t *testing.T) {
	e := newEnv(t)
	e.settings.SendBefore = 9 * 24 * time.Hour
	e.rewire()
	m1, m2, m3 := meeting(1), meeting(2), meeting(3)
	m1.State = "cancelled"
	for _, m := range []prep.Meeting{m1, m2, m3} {
		e.meetings.put(m)
	}
	e.tick(t0)
	want := []string{key(m2, ada, "invite"), key(m2, grace, "invite")}
	if got := e.keys(); !slices.Equal(got, want) {
		t.Fatalf("outbox %v, want %v", got, want)
	}
}

// Prep mail is not worth sending once the meeting has started: the
// outbox gets the start as the invite's and the reminder's expiry.
func TestPrepMailExpiresAtTheMeetingStart(t *testing.T) {
	e := newEnv(t)
	m := meeting(1)
	e.meetings.put(m)
	e.tick(start.Add(-24 * time.Hour))
	e.tick(start.Add(-2 * time.Hour))
	ms := e.mails()
	if len(ms) != 4 {
		t.Fatalf("%d mails, want 2 invites and 2 reminders", len(ms))
	}
	for _, msg := range ms {
		if !msg.Expires.Equal(m.Start) {
			t.Errorf("%s expires %v, want the start %v", msg.DedupKey, msg.Expires, m.Start)
		}
	}
}
