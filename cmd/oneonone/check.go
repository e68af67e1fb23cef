package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/sync"
)

// runCheck prints one line per problem, each saying what to do, and
// exits non-zero when there is any.
func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "check", "[--config FILE]")
	cfgFile := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	file := config.Path(*cfgFile, e.getenv)
	cfg, err := config.LoadWith(file, e.getenv)
	if err != nil {
		var cerr *config.Errors
		if errors.As(err, &cerr) {
			for _, p := range cerr.List {
				fmt.Fprintf(e.stdout, "config: %s\n", p.Error())
			}
			return exitError{code: 1, msg: fmt.Sprintf("%d problem(s) in %s", len(cerr.List), file)}
		}
		return exitError{code: 1, msg: err.Error()}
	}
	problems := 0
	report := func(what string, err error) {
		if err != nil {
			problems++
			fmt.Fprintf(e.stdout, "%s: %v\n", what, err)
		} else {
			fmt.Fprintf(e.stdout, "%s: ok\n", what)
		}
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(e.stdout, "warning: %s\n", w)
	}
	report("state_dir "+cfg.StateDir, config.CheckStateDir(cfg.StateDir))
	a := &app{cfg: cfg}
	a.useGrantsIn(nil) // check creates no database: useGrants uses one that exists
	_, keyErr := a.secretsKey()
	report("secrets key "+cfg.SecretsKeyFile, keyErr)
	ctx, cancel := context.WithTimeout(ctx, cfg.Sync.Timeout+30*time.Second)
	defer cancel()
	d, what, err := storeOf(cfg).Check(ctx, schemas()...)
	report("database "+what, err)
	grants := false
	if d != nil {
		defer d.Close()
		grants = a.useGrants(d)
	}
	cals, failed := a.calendars(ctx)
	for _, f := range failed {
		report("calendar "+f.Calendar, f.Err)
	}
	for _, c := range cals {
		report("calendar "+c.Name+" ("+c.Source+")", a.reach(ctx, c, grants))
	}
	report("mail", checkMail(ctx, a))
	if problems > 0 {
		return exitError{code: 1, msg: fmt.Sprintf("%d problem(s)", problems)}
	}
	return nil
}

// reach contacts a calendar the way a sync would, through its
// provider's check; setting a CalDAV calendar up has already read it.
func (a *app) reach(ctx context.Context, cal sync.Calendar, grants bool) error {
	for _, c := range a.conf().Calendars {
		if p := providers[c.Type]; c.Name == cal.Name && p.check != nil {
			return p.check(ctx, a, c, grants)
		}
	}
	return nil
}

// useGrants makes d the grants' store when a calendar uses an account
// connected on this machine (`oneonone connect google`), whose grant is
// stored there. The database serves nothing else here, so CalDAV
// calendars are still discovered afresh.
func (a *app) useGrants(d *sql.DB) bool {
	for _, c := range a.conf().Calendars {
		if p := providers[c.Type]; c.Enabled && p.connected != nil && p.connected(c) {
			a.useGrantsIn(d)
			return true
		}
	}
	return false
}

func checkMail(ctx context.Context, a *app) error {
	s, err := a.sender()
	if err != nil {
		return err
	}
	return mailer.CheckSender(ctx, s)
}
