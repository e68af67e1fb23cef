package main

import (
	"context"
	"time"

	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/prep/web"
	"github.com/oneonone/oneonone/sync"
)

// setupAround wires the follow-ups and nudges (sent from the prep loop)
// and serves the follow-up pages under /f/.
func (d *daemon) setupAround(links *prep.Links, answers *prep.AnswerCipher) {
	cfg := d.app.conf()
	settings := prepSettings(cfg)
	meetings := sync.Meetings{DB: d.app.db}
	outcomes := sync.Outcomes{DB: d.app.db}
	d.around = &prep.Around{DB: d.app.db, Meetings: meetings, Records: outcomes, Outbox: d.outbox, Links: links,
		Settings: settings, FollowUpAfter: cfg.Prep.FollowUpAfter, CancelledInARow: cfg.Nudges.CancelledInARow,
		Notify: d.worker.Notify}
	svc := &prep.FollowUps{DB: d.app.db, Meetings: meetings, Outcomes: outcomes, Settings: settings, Now: d.env.now, Answers: answers}
	d.mux.Handle("/f/", web.NewFollowUp(svc, web.Options{PublicURL: settings.PublicURL, Now: d.env.now,
		Logger: d.log.With("part", "web"), RateLimit: web.RateLimit{TrustedProxies: cfg.Proxies}, MaxAnswer: settings.MaxAnswer}))
}

// aroundTick enqueues the follow-ups and nudges due at now.
func (d *daemon) aroundTick(ctx context.Context, now time.Time) {
	if d.around == nil {
		return
	}
	sent, err := d.around.Tick(ctx, now)
	if err != nil {
		d.log.Error("follow-ups and nudges", "err", err)
	}
	if sent.FollowUps+sent.Nudges > 0 {
		d.log.Info("follow-ups and nudges queued", "follow_ups", sent.FollowUps, "nudges", sent.Nudges)
	}
}
