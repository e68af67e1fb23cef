package prep_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// writer is a fake AgendaWriter that records the blocks it was given and
// says that the people in reach see them.
type writer struct {
	mu     sync.Mutex
	err    error
	reach  []string // nil: both people of the meeting
	blocks []string
}

func (w *writer) WriteAgenda(_ context.Context, m prep.Meeting, block string) ([]string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.blocks = append(w.blocks, block)
	if w.err != nil {
		return nil, w.err
	}
	if w.reach == nil {
		return []string{m.People[0].Email, m.People[1].Email}, nil
	}
	return w.reach, nil
}

func (w *writer) calls() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.blocks)
}

func (w *writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.err = err
}

func (e *env) agendaWorker(w *writer) *prep.AgendaWorker {
	return &prep.AgendaWorker{DB: e.db, Meetings: e.meetings, Writer: w, Outbox: e.outbox,
		Settings: e.settings, Notify: func() { e.notified++ }, Answers: e.answers}
}

func (e *env) agendaTick(aw *prep.AgendaWorker, t time.Time) (prep.Delivered, error) {
	e.clock.Set(t)
	return aw.Tick(context.Background(), t)
}

func (e *env) save(tok string, answers map[string]string) {
	e.t.Helper()
	if _, err := e.svc.Save(context.Background(), tok, answers); err != nil {
		e.t.Fatal(err)
	}
}

// saveAt saves answers as if at t.
func (e *env) saveAt(t time.Time, tok string, answers map[string]string) {
	e.t.Helper()
	e.clock.Set(t)
	e.save(tok, answers)
}

// agendaMails returns the dedup keys of the agenda mails, oldest first.
func (e *env) agendaMails() []string {
	var out []string
	for _, m := range e.mails() {
		if strings.Contains(m.DedupKey, ":agenda-email:") {
			out = append(out, m.DedupKey)
		}
	}
	return out
}

// TestAgendaWrittenOncePerSettledChange: nothing is written while only
// one has answered; once both have, the agenda is written when answers
// have rested for the quiet period (5 minutes), so saves within it are
// one write; a later burst of edits is one more; at the start nothing
// changed, nothing is written, and never again.
func TestAgendaWrittenOncePerSettledChange(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	w := &writer{}
	aw := e.agendaWorker(w)
	at := start.Add(-20 * time.Hour)
	e.saveAt(at, adaTok, map[string]string{"topics": "roadmap"})
	for i := 0; i < 10; i++ {
		e.agendaTick(aw, at.Add(time.Duration(i)*time.Minute))
	}
	if w.calls() != 0 {
		t.Fatalf("written before Grace answered: %q", w.blocks)
	}
	at = at.Add(time.Hour)
	e.saveAt(at, graceTok, map[string]string{"topics": "hiring", "feedback": "pair only", "mood": "3"})
	e.saveAt(at.Add(time.Minute), graceTok, map[string]string{"topics": "hiring and the offsite"})
	e.saveAt(at.Add(3*time.Minute), adaTok, map[string]string{"topics": "roadmap, Q3"})
	for _, m := range []int{0, 1, 2, 3, 4, 7} {
		e.agendaTick(aw, at.Add(time.Duration(m)*time.Minute))
	}
	if w.calls() != 0 {
		t.Fatalf("written within the quiet period: %q", w.blocks)
	}
	for _, m := range []int{8, 9, 30, 60} {
		e.agendaTick(aw, at.Add(time.Duration(m)*time.Minute))
	}
	if w.calls() != 1 || !strings.Contains(w.blocks[0], "hiring and the offsite") || !strings.Contains(w.blocks[0], "roadmap, Q3") {
		t.Fatalf("saves within the quiet period: %q", w.blocks)
	}
	at = at.Add(2 * time.Hour)
	e.saveAt(at, graceTok, map[string]string{"mood": "4"}) // private: the agenda is unchanged
	e.agendaTick(aw, at.Add(10*time.Minute))
	e.saveAt(at.Add(time.Hour), adaTok, map[string]string{"topics": ""})
	e.saveAt(at.Add(time.Hour+2*time.Minute), graceTok, map[string]string{"topics": "offsite only"})
	for _, m := range []int{61, 63, 66, 67, 90} {
		e.agendaTick(aw, at.Add(time.Duration(m)*time.Minute))
	}
	if w.calls() != 2 || strings.Contains(w.blocks[1], "roadmap") || !strings.Contains(w.blocks[1], "offsite only") {
		t.Fatalf("a later burst of edits: %q", w.blocks)
	}
	e.agendaTick(aw, start)
	e.agendaTick(aw, start.Add(time.Minute))
	if w.calls() != 2 {
		t.Fatalf("writes at the cut-off: %q", w.blocks)
	}
	if n := e.count(`SELECT count(*) FROM prep_agenda_writes WHERE final_at IS NOT NULL AND written_at IS NOT NULL`); n != 1 {
		t.Fatal("the final pass was not recorded")
	}
	for _, b := range w.blocks {
		if strings.Contains(b, "/p/") || strings.Contains(b, "pair only") {
			t.Fatalf("block with a link or a pair answer: %q", b)
		}
	}
	if m := e.agendaMails(); len(m) != 0 {
		t.Errorf("agenda mails although both see the event: %q", m)
	}
}

// TestAgendaAtTheCutoffWithOneAnswer: Grace never answers. Ada's agenda
// is written an hour before the start, not before; an edit in the last
// minute before the start is written at the start, quiet or not.
func TestAgendaAtTheCutoffWithOneAnswer(t *testing.T) {
	e, adaTok, _ := invited(t)
	w := &writer{}
	aw := e.agendaWorker(w)
	e.saveAt(start.Add(-20*time.Hour), adaTok, map[string]string{"topics": "roadmap"})
	for _, h := range []time.Duration{19, 10, 2} {
		e.agendaTick(aw, start.Add(-h*time.Hour))
	}
	if w.calls() != 0 {
		t.Fatalf("written before the cut-off: %q", w.blocks)
	}
	e.agendaTick(aw, start.Add(-time.Hour))
	if w.calls() != 1 || !strings.Contains(w.blocks[0], "roadmap") {
		t.Fatalf("at the cut-off: %q", w.blocks)
	}
	e.saveAt(start.Add(-time.Minute), adaTok, map[string]string{"topics": "roadmap and hiring"})
	e.agendaTick(aw, start.Add(-30*time.Second))
	e.agendaTick(aw, start)
	if w.calls() != 2 || !strings.Contains(w.blocks[1], "hiring") {
		t.Fatalf("the final state at the start: %q", w.blocks)
	}
}

// TestAgendaMailedOncePerSettledChange: nothing can be written (a
// read-only calendar). Each person gets the settled agenda once, however
// many saves led to it; a later edit brings one update; more edits bring
// no more mail, nor does the final state at the start.
func TestAgendaMailedOncePerSettledChange(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	w := &writer{err: prep.ErrNotWritable}
	aw := e.agendaWorker(w)
	at := start.Add(-20 * time.Hour)
	e.saveAt(at, adaTok, map[string]string{"topics": "roadmap"})
	e.saveAt(at.Add(time.Minute), graceTok, map[string]string{"topics": "hiring"})
	e.saveAt(at.Add(2*time.Minute), graceTok, map[string]string{"topics": "hiring, offsite"})
	for m := 0; m <= 20; m++ {
		e.agendaTick(aw, at.Add(time.Duration(m)*time.Minute))
	}
	mails := e.agendaMails()
	if len(mails) != 2 || !strings.HasSuffix(mails[0], ":agenda-email:1") || !strings.HasSuffix(mails[1], ":agenda-email:1") {
		t.Fatalf("the settled agenda: %q", mails)
	}
	for _, m := range e.mails() {
		if strings.Contains(m.DedupKey, ":agenda-email:") && (!strings.Contains(m.Text, "hiring, offsite") ||
			!strings.HasPrefix(m.Subject, "Agenda for your 1:1 with")) {
			t.Errorf("agenda mail %q:\n%s", m.Subject, m.Text)
		}
	}
	at = at.Add(time.Hour)
	e.saveAt(at, adaTok, map[string]string{"topics": "roadmap and budget"})
	for m := 0; m <= 20; m++ {
		e.agendaTick(aw, at.Add(time.Duration(m)*time.Minute))
	}
	if mails = e.agendaMails(); len(mails) != 4 || !strings.HasSuffix(mails[3], ":agenda-email:2") {
		t.Fatalf("one update for a later edit: %q", mails)
	}
	for i := 1; i <= 3; i++ {
		at = at.Add(time.Hour)
		e.saveAt(at, adaTok, map[string]string{"topics": strings.Repeat("more ", i)})
		e.agendaTick(aw, at.Add(10*time.Minute))
	}
	e.agendaTick(aw, start)
	if mails = e.agendaMails(); len(mails) != 4 {
		t.Fatalf("more edits: %q", mails)
	}
	if w.calls() != 5 {
		t.Errorf("%d delivery attempts, want one per settled change (5)", w.calls())
	}
}

// TestAgendaMailedToWhomNoCopyReaches: the writer reaches Ada (her
// calendar is watched and written); Grace's is not watched, so she gets
// the agenda by mail, once, and Ada gets none. Once Grace paused, she
// gets no update.
func TestAgendaMailedToWhomNoCopyReaches(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	w := &writer{reach: []string{ada}}
	aw := e.agendaWorker(w)
	at := start.Add(-20 * time.Hour)
	e.saveAt(at, adaTok, map[string]string{"topics": "roadmap"})
	e.saveAt(at, graceTok, map[string]string{"topics": "hiring"})
	for m := 0; m <= 30; m += 5 {
		d, err := e.agendaTick(aw, at.Add(time.Duration(m)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if m == 5 && (d.Written != 1 || d.Emailed != 1) {
			t.Errorf("delivery: %+v", d)
		}
	}
	mails := e.agendaMails()
	if len(mails) != 1 || !strings.Contains(mails[0], ":"+grace+":") {
		t.Fatalf("agenda mails %q", mails)
	}
	if err := e.svc.Pause(context.Background(), graceTok); err != nil {
		t.Fatal(err)
	}
	e.saveAt(at.Add(time.Hour), adaTok, map[string]string{"topics": "roadmap and hiring"})
	e.agendaTick(aw, at.Add(2*time.Hour))
	if mails := e.agendaMails(); len(mails) != 1 || w.calls() != 2 {
		t.Fatalf("Grace paused: %q, %d writes", mails, w.calls())
	}
}

func TestAgendaWriteRetriedAfterError(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	w := &writer{err: errors.New("caldav: 503")}
	aw := e.agendaWorker(w)
	at := start.Add(-20 * time.Hour)
	e.saveAt(at, adaTok, map[string]string{"topics": "roadmap"})
	e.saveAt(at, graceTok, map[string]string{"topics": "hiring"})
	at = at.Add(10 * time.Minute)
	d, err := e.agendaTick(aw, at)
	if d.Failed != 1 || err == nil {
		t.Fatalf("failed write: %+v %v", d, err)
	}
	if d, err := e.agendaTick(aw, at.Add(time.Minute)); d.Failed != 1 || err != nil {
		t.Fatalf("the same error again is not reported again: %+v %v", d, err)
	}
	var lastErr string
	e.db.QueryRow(`SELECT last_error FROM prep_agenda_writes`).Scan(&lastErr)
	if lastErr != "caldav: 503" {
		t.Fatalf("last_error %q", lastErr)
	}
	if m := e.agendaMails(); len(m) != 0 {
		t.Fatalf("mailed while the calendar is down: %q", m)
	}
	w.fail(nil)
	if d, err := e.agendaTick(aw, start); d.Written != 1 || err != nil {
		t.Fatalf("at the cut-off: %+v %v", d, err)
	}
	e.db.QueryRow(`SELECT last_error FROM prep_agenda_writes WHERE final_at IS NOT NULL`).Scan(&lastErr)
	if lastErr != "" || w.calls() != 3 {
		t.Fatalf("after success: last_error %q, %d calls", lastErr, w.calls())
	}
}

func TestAgendaNotWrittenIntoCancelledMeeting(t *testing.T) {
	e, adaTok, _ := invited(t)
	e.save(adaTok, map[string]string{"topics": "roadmap"})
	m := meeting(1)
	m.State = "cancelled"
	e.meetings.put(m)
	w := &writer{}
	if d, _ := e.agendaTick(e.agendaWorker(w), start.Add(-time.Hour)); w.calls() != 0 {
		t.Fatalf("cancelled meeting written: %+v", d)
	}
}
