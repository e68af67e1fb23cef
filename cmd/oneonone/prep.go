package main

import (
	"context"
	"time"

	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/prep/web"
	"github.com/oneonone/oneonone/sync"
)

// prepSettings turns the config into prep's settings.
func prepSettings(cfg *config.Config) prep.Settings {
	return prep.Settings{
		SendBefore: cfg.Prep.SendBefore, RemindBefore: cfg.Prep.RemindBefore, Grace: cfg.Prep.Grace,
		PublicURL: cfg.PublicURL, From: cfg.Mail.FromHeader(), ReplyTo: cfg.Mail.ReplyToHeader(),
		Location: cfg.Location, Reveal: cfg.Prep.Reveal, DigestMin: cfg.Prep.DigestMin,
		AgendaQuiet: quiet(cfg.Prep.AgendaQuiet), AgendaCutoff: cfg.Prep.AgendaCutoff,
		QuestionSet: func(a, b string) prep.QuestionSet {
			s := cfg.QuestionSetFor(a, b)
			out := prep.QuestionSet{Name: s.Name}
			for _, q := range s.Questions {
				out.Questions = append(out.Questions, prep.SetQuestion(q))
			}
			return out
		},
	}
}

// quiet turns the config's quiet period into prep's, where 0 means the
// default and a negative value none.
func quiet(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// prepParts are the prep scheduler, the agenda worker and the form.
type prepParts struct {
	scheduler *prep.Scheduler
	agenda    *prep.AgendaWorker
	service   *prep.Service
}

func (d *daemon) setupPrep(links *prep.Links, answers *prep.AnswerCipher) error {
	settings := prepSettings(d.app.conf())
	settings.Links = links // every prep mail links its recipient's pair page
	meetings := sync.Meetings{DB: d.app.db}
	d.prep = prepParts{
		scheduler: &prep.Scheduler{DB: d.app.db, Meetings: meetings, Outbox: d.outbox, Links: links, Settings: settings, Notify: d.worker.Notify},
		service:   &prep.Service{DB: d.app.db, Meetings: meetings, Settings: settings, Now: d.env.now, Answers: answers},
	}
	// Agendas go into the calendar copies of the meetings, through the
	// writers of the calendars the sync set up.
	writer := sync.AgendaWriters{DB: d.app.db, Calendars: d.current, Now: d.env.now}
	d.prep.agenda = &prep.AgendaWorker{DB: d.app.db, Meetings: meetings, Writer: writer, Outbox: d.outbox, Settings: settings, Notify: d.worker.Notify, Answers: answers}
	// A saved answer has the agenda rewritten at once rather than at the
	// next tick.
	d.prep.service.Saved = func() {
		d.metrics.prep.Saved()
		d.wakePrep()
	}
	form := d.prep.service
	pairs := &prep.PairPages{DB: d.app.db, History: meetings, Links: links, Settings: settings, Now: d.env.now, Answers: answers}
	pages := web.New(form, web.Options{PublicURL: settings.PublicURL, Now: d.env.now, Logger: d.log.With("part", "web"),
		RateLimit: web.RateLimit{TrustedProxies: d.app.conf().Proxies}, MaxAnswer: settings.MaxAnswer, Pairs: pairs})
	d.mux.Handle("/p/", pages)
	d.mux.Handle("/pair/", pages)
	return nil
}

// prepLoop sends due prep mails, delivers agendas, follow-ups and nudges.
func (d *daemon) prepLoop(ctx context.Context) error {
	l := &prep.Loop{Scheduler: d.prep.scheduler, Agenda: d.prep.agenda, Around: d.around, Now: d.env.now, Log: d.log,
		Wake: d.prepWake, Delivered: d.metrics.prep.Delivered}
	return l.Run(ctx)
}

// wakePrep has prep look at once rather than at its next tick; it never
// blocks.
func (d *daemon) wakePrep() {
	select {
	case d.prepWake <- struct{}{}:
	default:
	}
}
