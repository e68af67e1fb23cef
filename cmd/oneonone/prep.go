package main

import (
	"context"
	"fmt"
	"net/mail"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/prep/web"
	"github.com/oneonone/oneonone/sync"
)

// prepSettings turns the config into prep's settings.
func prepSettings(cfg *config.Config) prep.Settings {
	return prep.Settings{
		SendBefore: cfg.Prep.SendBefore, RemindBefore: cfg.Prep.RemindBefore, Grace: cfg.Prep.Grace,
		PublicURL: cfg.PublicURL, From: address(cfg.Mail.FromAddress, cfg.Mail.From), ReplyTo: address(cfg.Mail.ReplyToAddress, cfg.Mail.ReplyTo),
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
	if w := d.agendaWriter(); w != nil {
		d.prep.agenda = &prep.AgendaWorker{DB: d.app.db, Meetings: meetings, Writer: w, Outbox: d.outbox, Settings: settings, Notify: d.worker.Notify, Answers: answers}
	}
	form := savingService{Service: d.prep.service, saved: func() {
		d.metrics.submissions.Inc()
		select {
		case d.prepWake <- struct{}{}:
		default:
		}
	}}
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
		Wake: d.prepWake, Delivered: func(got prep.Delivered) {
			d.metrics.agendas.WithLabelValues("written").Add(float64(got.Written))
			d.metrics.agendas.WithLabelValues("emailed").Add(float64(got.Emailed))
			d.metrics.agendas.WithLabelValues("failed").Add(float64(got.Failed))
		}}
	return l.Run(ctx)
}

// agendaWriter writes agendas into the calendar copies of the meetings,
// CalDAV or Google, through the same clients the sync uses.
func (d *daemon) agendaWriter() prep.AgendaWriter {
	zone := d.app.conf().Location
	caldavWriter := &sync.AgendaWriter{DB: d.app.db, Now: d.env.now,
		Writer: func(name string) (sync.OccurrenceWriter, error) {
			d.clientsMu.Lock()
			defer d.clientsMu.Unlock()
			c, ok := d.clients[name]
			if !ok {
				// Not an ErrNotWritable: right after a start the calendars
				// are still being set up; the next tick tries again.
				return nil, fmt.Errorf("calendar %s: %w", name, prep.ErrNotSetUp)
			}
			return caldav.Writer{Objects: c, DefaultZone: zone}, nil
		}}
	googleWriter := &sync.GoogleAgendaWriter{
		Writer: func(name string) (sync.OccurrenceWriter, error) {
			d.clientsMu.Lock()
			defer d.clientsMu.Unlock()
			f, ok := d.googles[name]
			if !ok {
				return nil, fmt.Errorf("calendar %s: %w", name, prep.ErrNotSetUp)
			}
			return google.Writer{Client: f.Client, CalendarID: f.CalendarID}, nil
		}}
	return sync.AgendaWriters{DB: d.app.db, ByKind: map[string]sync.CopyWriter{"caldav": caldavWriter, "google": googleWriter}}
}

// remember keeps each CalDAV calendar's client for the agenda writer.
func (d *daemon) remember(cals []sync.Calendar) {
	d.clientsMu.Lock()
	defer d.clientsMu.Unlock()
	d.clients = map[string]caldav.Objects{}
	d.googles = map[string]google.Feed{}
	for _, c := range cals {
		switch f := c.Feed.(type) {
		case caldav.Feed:
			d.clients[c.Name] = f.Client
		case google.Feed:
			d.googles[c.Name] = f
		}
	}
}

// savingService tells the daemon about every saved answer, so the agenda
// is rewritten at once rather than at the next tick.
type savingService struct {
	*prep.Service
	saved func()
}

func (s savingService) Save(ctx context.Context, token string, answers map[string]string) (prep.Form, error) {
	f, err := s.Service.Save(ctx, token, answers)
	if err == nil {
		s.saved()
	}
	return f, err
}

// address writes a parsed address the way mail headers need it: the
// contract's own example, "1:1 prep <oneonone@example.com>", has a display
// name that must be quoted.
func address(a *mail.Address, raw string) string {
	if a == nil {
		return raw
	}
	return a.String()
}
