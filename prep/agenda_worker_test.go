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

// writer is a fake AgendaWriter that records the blocks it was given.
type writer struct {
	mu     sync.Mutex
	err    error
	blocks []string
}

func (w *writer) WriteAgenda(_ context.Context, m prep.Meeting, block string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.blocks = append(w.blocks, block)
	return w.err
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

func TestAgendaWrittenOncePerChange(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	w := &writer{}
	aw := e.agendaWorker(w)
	at := start.Add(-20 * time.Hour)
	if d, _ := e.agendaTick(aw, at); d != (prep.Delivered{}) || w.calls() != 0 {
		t.Fatalf("nothing answered: %+v, %d writes", d, w.calls())
	}
	e.save(graceTok, map[string]string{"feedback": "pair only", "mood": "3"})
	if d, _ := e.agendaTick(aw, at); w.calls() != 0 {
		t.Fatalf("pair and private answers only: %+v, %v", d, w.blocks)
	}
	e.save(adaTok, map[string]string{"topics": "roadmap"})
	for i := 0; i < 3; i++ {
		if d, err := e.agendaTick(aw, at.Add(time.Duration(i)*time.Minute)); err != nil || w.calls() != 1 {
			t.Fatalf("tick %d: %+v %v, %d writes", i, d, err, w.calls())
		}
	}
	e.save(graceTok, map[string]string{"mood": "4"}) // private: the agenda is unchanged
	e.agendaTick(aw, at.Add(time.Hour))
	e.save(graceTok, map[string]string{"topics": "hiring"})
	e.agendaTick(aw, at.Add(2*time.Hour))
	e.save(adaTok, map[string]string{"topics": ""}) // cleared: the block changes again
	e.agendaTick(aw, at.Add(3*time.Hour))
	if w.calls() != 3 || !strings.Contains(w.blocks[1], "hiring") || strings.Contains(w.blocks[2], "roadmap") {
		t.Fatalf("writes %q", w.blocks)
	}
	// The cut-off: nothing changed, nothing written, and never again.
	e.agendaTick(aw, start)
	e.agendaTick(aw, start.Add(time.Minute))
	if w.calls() != 3 {
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
}

func TestAgendaEmailedWhenNotWritable(t *testing.T) {
	e, adaTok, graceTok := invited(t)
	w := &writer{err: prep.ErrNotWritable}
	aw := e.agendaWorker(w)
	at := start.Add(-20 * time.Hour)
	e.save(adaTok, map[string]string{"topics": "roadmap"})
	if d, err := e.agendaTick(aw, at); err != nil || d.Emailed != 2 {
		t.Fatalf("first agenda: %+v %v", d, err)
	}
	if d, _ := e.agendaTick(aw, at.Add(time.Minute)); d.Emailed != 0 || w.calls() != 1 {
		t.Fatalf("unchanged agenda mailed again: %+v, %d writes", d, w.calls())
	}
	if err := e.svc.Pause(context.Background(), graceTok); err != nil {
		t.Fatal(err)
	}
	e.save(adaTok, map[string]string{"topics": "roadmap and hiring"})
	if d, _ := e.agendaTick(aw, at.Add(time.Hour)); d.Emailed != 1 {
		t.Fatalf("changed agenda, Grace paused: %+v", d)
	}
	var agendas []string
	for _, m := range e.mails() {
		if strings.Contains(m.DedupKey, ":agenda-email:") {
			agendas = append(agendas, m.DedupKey)
			if !strings.Contains(m.Text, "roadmap") || !strings.HasPrefix(m.Subject, "Agenda for your 1:1 with") {
				t.Errorf("agenda mail %q:\n%s", m.Subject, m.Text)
			}
		}
	}
	if len(agendas) != 3 || !strings.Contains(agendas[2], ada) {
		t.Fatalf("agenda mails %v", agendas)
	}
}

func TestAgendaWriteRetriedAfterError(t *testing.T) {
	e, adaTok, _ := invited(t)
	w := &writer{err: errors.New("caldav: 503")}
	aw := e.agendaWorker(w)
	e.save(adaTok, map[string]string{"topics": "roadmap"})
	at := start.Add(-20 * time.Hour)
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
