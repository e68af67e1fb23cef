package main

import (
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/prep/web"
	"github.com/oneonone/oneonone/sync"
)

// setupAround wires the follow-ups and nudges (sent from the prep loop)
// and serves the follow-up pages under /f/.
func (d *daemon) setupAround(links *prep.Links, answers *prep.AnswerCipher) {
	cfg := d.app.conf()
	settings := prepSettings(cfg)
	settings.Links = links // follow-ups and nudges link the recipient's pair page
	meetings := sync.Meetings{DB: d.app.db}
	outcomes := sync.Outcomes{DB: d.app.db}
	d.around = &prep.Around{DB: d.app.db, Meetings: meetings, Records: outcomes, Outbox: d.outbox, Links: links,
		Settings: settings, FollowUpAfter: cfg.Prep.FollowUpAfter, CancelledInARow: cfg.Nudges.CancelledInARow,
		Notify: d.worker.Notify}
	svc := &prep.FollowUps{DB: d.app.db, Meetings: meetings, Outcomes: outcomes, Settings: settings, Now: d.env.now, Answers: answers}
	d.mux.Handle("/f/", web.NewFollowUp(svc, web.Options{PublicURL: settings.PublicURL, Now: d.env.now,
		Logger: d.log.With("part", "web"), RateLimit: web.RateLimit{TrustedProxies: cfg.Proxies}, MaxAnswer: settings.MaxAnswer}))
}
