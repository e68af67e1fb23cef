package prep

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// ErrNotSetUp is what an agenda writer answers while the calendar of a
// meeting is still being set up (right after a start, discovery has not
// finished). Expected, and retried at the next tick: the loop notes it at
// INFO rather than as an error. It is calendars.ErrNotSetUp.
var ErrNotSetUp = calendars.ErrNotSetUp

// Loop is prep's periodic work in the daemon: due invites and reminders,
// agendas, follow-ups and nudges, every Every (default 30 seconds) and
// at once when Wake fires (a sync ended, an answer was saved).
type Loop struct {
	Scheduler *Scheduler
	Agenda    *AgendaWorker // nil: no agendas are delivered
	Around    *Around       // nil: no follow-ups or nudges
	Now       func() time.Time
	Log       *slog.Logger
	Wake      <-chan struct{}
	Every     time.Duration
	Delivered func(Delivered) // agendas delivered in a tick, when any (metrics); may be nil
}

// Run ticks until ctx ends.
func (l *Loop) Run(ctx context.Context) error {
	every := l.Every
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		l.tick(ctx, l.Now())
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-l.Wake:
		}
	}
}

func (l *Loop) tick(ctx context.Context, now time.Time) {
	if sent, err := l.Scheduler.Tick(ctx, now); err != nil {
		l.Log.Error("prep scheduler", "err", err)
	} else if sent.Invites+sent.Reminders > 0 {
		l.Log.Info("prep mails queued", "invites", sent.Invites, "reminders", sent.Reminders)
	}
	if l.Agenda != nil {
		if got, err := l.Agenda.Tick(ctx, now); err != nil {
			l.logAgendaErrors(err)
		} else if got.Written+got.Emailed+got.Failed > 0 {
			if l.Delivered != nil {
				l.Delivered(got)
			}
			l.Log.Info("agendas delivered", "written", got.Written, "emailed", got.Emailed)
		}
	}
	if l.Around != nil {
		sent, err := l.Around.Tick(ctx, now)
		if err != nil {
			l.Log.Error("follow-ups and nudges", "err", err)
		}
		if sent.FollowUps+sent.Nudges > 0 {
			l.Log.Info("follow-ups and nudges queued", "follow_ups", sent.FollowUps, "nudges", sent.Nudges)
		}
	}
}

// logAgendaErrors logs what the agenda worker could not do: a calendar
// still being set up is expected and retried, so it is only noted; any
// other failure is an error.
func (l *Loop) logAgendaErrors(err error) {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		if errors.Is(e, ErrNotSetUp) {
			l.Log.Info("agenda waits for its calendar", "err", e)
			continue
		}
		l.Log.Error("agenda worker", "err", e)
	}
}
