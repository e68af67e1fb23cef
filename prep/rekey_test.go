package prep_test

import (
	"context"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

func (e *env) rekey(from, to prep.Meeting) {
	e.t.Helper()
	tx, err := e.db.Begin()
	if err != nil {
		e.t.Fatal(err)
	}
	defer tx.Rollback()
	if err := prep.Rekey(context.Background(), tx, e.answers, from.SeriesUID, from.RecurrenceID, to.SeriesUID, to.RecurrenceID); err != nil {
		e.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatal(err)
	}
}

// continued is meeting 1 as it is after a split: in series s2, a day later.
func continued() prep.Meeting {
	m := meeting(1)
	m.SeriesUID = "s2@example.com"
	m.Start, m.End = m.Start.Add(24*time.Hour), m.End.Add(24*time.Hour)
	m.RecurrenceID = m.Start.Format(time.RFC3339)
	return m
}

// TestRekeyMovesRequestsAgendaAndPauses: after a re-key the old links
// open the meeting under its new key with the answers given, the agenda
// is to be written again there, a pause holds for the new series, and
// nobody is invited again.
func TestRekeyMovesRequestsAgendaAndPauses(t *testing.T) {
	e := newEnv(t)
	old := meeting(1)
	e.meetings.put(old)
	e.tick(start.Add(-23 * time.Hour))
	adaTok, graceTok := e.token(old, ada), e.token(old, grace)
	if _, err := e.svc.Save(context.Background(), adaTok, map[string]string{"topics": "Roadmap"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Pause(context.Background(), graceTok); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(`INSERT INTO prep_agenda_writes (series_uid, recurrence_id, block_hash) VALUES (?, ?, 'written')`, old.SeriesUID, old.RecurrenceID); err != nil {
		t.Fatal(err)
	}
	next := continued()
	e.meetings = &meetings{}
	e.meetings.put(next)
	e.rewire()
	e.rekey(old, next)
	f, err := e.svc.Open(context.Background(), adaTok)
	if err != nil || f.Meeting.RecurrenceID != next.RecurrenceID || f.Answers["topics"] != "Roadmap" {
		t.Fatalf("Ada's old link: %s %v, %v", f.Meeting.RecurrenceID, f.Answers, err)
	}
	if n := e.count(`SELECT count(*) FROM prep_agenda_writes WHERE series_uid = ? AND recurrence_id = ? AND block_hash = ''`, next.SeriesUID, next.RecurrenceID); n != 1 {
		t.Error("the agenda record did not follow the meeting, or still claims its block is written")
	}
	if n := e.count(`SELECT count(*) FROM prep_pauses WHERE series_uid = ? AND email = ?`, next.SeriesUID, grace); n != 1 {
		t.Error("Grace's pause did not carry over to the new series")
	}
	before := len(e.keys())
	e.tick(start.Add(-22 * time.Hour))
	if after := len(e.keys()); after != before {
		t.Errorf("%d mails after the re-key, want none: %q", after-before, e.keys()[before:])
	}
}

// TestRekeyOntoAMeetingAlreadyInvited: the new key has requests already;
// they stay, and take the answers of the old ones when they have none.
func TestRekeyOntoAMeetingAlreadyInvited(t *testing.T) {
	e := newEnv(t)
	old, next := meeting(1), continued()
	e.meetings.put(old)
	e.meetings.put(next)
	e.tick(start.Add(-23 * time.Hour)) // the old meeting's invites
	for email, text := range map[string]string{ada: "Roadmap", grace: "Older"} {
		if _, err := e.svc.Save(context.Background(), e.token(old, email), map[string]string{"topics": text}); err != nil {
			t.Fatal(err)
		}
	}
	e.tick(next.Start.Add(-23 * time.Hour)) // the new meeting's
	if _, err := e.svc.Save(context.Background(), e.token(next, grace), map[string]string{"topics": "Mine"}); err != nil {
		t.Fatal(err)
	}
	e.rekey(old, next)
	for email, want := range map[string]string{ada: "Roadmap", grace: "Mine"} {
		f, err := e.svc.Open(context.Background(), e.token(next, email))
		if err != nil || f.Answers["topics"] != want {
			t.Errorf("%s's link of the new meeting: %v, %v; want %q", email, f.Answers, err, want)
		}
	}
}
