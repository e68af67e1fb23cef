package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/microsoft365"
	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/deploy/systemd"
	"github.com/oneonone/oneonone/mailer"
	mailstore "github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

func runDaemon(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "run", "[--config FILE]")
	cfgFile := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := openApp(ctx, e, *cfgFile)
	if err != nil {
		return err
	}
	defer a.Close()
	for _, w := range a.cfg.Warnings {
		a.log.Warn("config", "warning", w)
	}
	d, err := newDaemon(a, e)
	if err != nil {
		return err
	}
	return d.run(ctx)
}

// daemon is the running service: every loop shares one context.
type daemon struct {
	app      *app
	env      *env
	log      *slog.Logger
	outbox   *mailstore.Outbox
	worker   *mailer.Worker
	mux      *http.ServeMux
	ln       net.Listener
	notifier systemd.Notifier
	metrics  *metrics
	// rediscover asks the sync loop to set calendars up again (after a
	// reload); wake cuts its wait short.
	rediscover atomic.Bool
	wake       chan struct{}
	prep       prepParts
	around     *prep.Around // follow-ups and nudges
	sync       *sync.Scheduler
	current    func() []sync.Calendar // the calendars the sync loop set up: their writers, their push
	push       *google.Channels
	subs       *microsoft365.Subscriptions
	prepWake   chan struct{} // a sync finished: prep looks at once
	instance   string        // this instance's id among those sharing the database
	leases     *sync.Leases  // the calendars this instance syncs
}

func newDaemon(a *app, e *env) (*daemon, error) {
	key, err := a.secretsKey()
	if err != nil {
		return nil, err
	}
	sender, err := a.sender()
	if err != nil {
		return nil, err
	}
	keys, err := prep.OpenKeys(context.Background(), a.db, key)
	if err != nil {
		return nil, err
	}
	links, answers := keys.Links, keys.Answers
	instance := sync.InstanceID(a.cfg.StateDir, a.cfg.Listen)
	outbox := mailstore.NewOutbox(a.db, e.now)
	outbox.Instance = instance
	// Link tokens are put into mails only as they leave (prep.Links): no
	// raw token is ever stored, not even in the outbox.
	worker := mailer.NewWorker(outbox, links.Sender(sender), a.log.With("part", "outbox"))
	mc := a.cfg.Mail
	worker.Limits = mailer.Limits{PerRecipientHour: mc.MaxPerRecipientHour, PerRecipientDay: mc.MaxPerRecipientDay, PerHour: mc.MaxPerHour}
	d := &daemon{app: a, env: e, log: a.log, outbox: outbox, worker: worker, mux: http.NewServeMux(), notifier: systemd.NewNotifier(e.getenv),
		metrics: newMetrics(a.db, outbox, worker), wake: make(chan struct{}, 1), prepWake: make(chan struct{}, 1),
		instance: instance}
	// Each calendar synced at once holds a connection: keep that many
	// open between passes (a new PostgreSQL connection is a new server
	// process), not database/sql's default of two.
	a.db.SetMaxIdleConns(a.cfg.Sync.Concurrency + 4)
	d.leases = &sync.Leases{DB: a.db, Holder: instance, Now: e.now, Log: a.log, Observe: d.metrics.sync.Leases, Wake: d.wakeSync}
	// Google's and Graph's per-minute quotas hold for all instances together.
	google.DefaultBudget().ShareWith(d.leases.Instances)
	microsoft365.DefaultBudget().ShareWith(d.leases.Instances)
	a.transport = d.metrics.counting
	a.rediscovered = func() { d.rediscover.Store(true) }
	d.sync = d.scheduler()
	d.current = d.sync.Current
	if err := d.setupPrep(links, answers); err != nil {
		return nil, err
	}
	d.setupAround(links, answers)
	d.setupConnect()
	d.setupPush()
	d.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	d.mux.Handle("GET /readyz", sync.Ready{DB: a.db, Mail: worker.Health, Configured: func(name string) bool { return d.app.conf().Watches(name) }})
	d.mux.Handle("GET /metrics", promhttp.HandlerFor(d.metrics.reg, promhttp.HandlerOpts{}))
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w (change listen in the config, or stop what uses that port)", a.cfg.Listen, err)
	}
	d.ln = ln
	return d, nil
}

func (d *daemon) run(parent context.Context) error {
	srv := &http.Server{Handler: d.mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	var wg gosync.WaitGroup
	goPart := func(name string, f func(context.Context) error) {
		wg.Go(func() {
			if err := f(ctx); err != nil {
				cancel(fmt.Errorf("%s: %w", name, err))
			}
		})
	}
	goPart("http", func(context.Context) error {
		if err := srv.Serve(d.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	goPart("http shutdown", func(ctx context.Context) error {
		<-ctx.Done()
		// Drain: requests in flight (an answer being saved) finish.
		shutdown, stop := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer stop()
		return srv.Shutdown(shutdown)
	})
	goPart("outbox", d.worker.Run)
	goPart("sync", d.sync.Run)
	goPart("watchdog", func(ctx context.Context) error {
		return d.notifier.Watchdog(ctx, systemd.WatchdogInterval(d.env.getenv), d.app.db.PingContext, d.log)
	})
	goPart("reload", d.reloadLoop)
	goPart("prep", d.prepLoop)
	goPart("push", d.pushLoop)
	// Migrations ran in openApp and the listener is bound: ready.
	if err := d.notifier.Notify("READY=1"); err != nil {
		d.log.Warn("systemd notify", "err", err)
	}
	d.log.Info("running", "listen", d.ln.Addr().String(), "calendars", len(d.app.conf().Calendars), "instance", d.instance)
	<-ctx.Done()
	d.notifier.Notify("STOPPING=1")
	d.drain(&wg)
	if err := context.Cause(ctx); err != nil && !errors.Is(err, parent.Err()) && parent.Err() == nil {
		return err
	}
	d.log.Info("stopped")
	return nil
}

// drainLimit bounds a shutdown: systemd's stop timeout must not be
// reached because a mail server stopped answering.
const drainLimit = 8 * time.Second

// drain waits for every part to stop, at most drainLimit. A part still
// busy then (a mail send the server does not answer) is left behind: its
// message stays marked as sending and is sent again after the restart.
func (d *daemon) drain(wg *gosync.WaitGroup) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(drainLimit):
		d.log.Warn("shutdown: a part did not stop in time; exiting anyway", "waited", drainLimit.String())
	}
}

// reloadLoop re-reads the config on SIGHUP. An invalid file keeps the
// running config and says why; a good one takes effect at the next sync
// (calendars are set up again). The listener needs a restart to move.
func (d *daemon) reloadLoop(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-d.env.reload:
		}
		old := d.app.conf()
		cfg, err := config.LoadWith(old.File, d.env.getenv)
		if err != nil {
			d.log.Error("config reload failed; keeping the running config", "file", old.File, "err", err)
			continue
		}
		if restart := config.NeedsRestart(old, cfg); len(restart) > 0 {
			d.log.Warn("some changes take effect only after a restart", "keys", strings.Join(restart, ", "))
		}
		d.app.setConf(cfg)
		d.rediscover.Store(true)
		d.wakeSync()
		d.log.Info("config reloaded: calendars, sync and detection rules apply from the next sync", "file", cfg.File, "calendars", len(cfg.Calendars))
	}
}
