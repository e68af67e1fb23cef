package main

import (
	"context"
	"time"

	"github.com/oneonone/oneonone/sync"
)

// scheduler wires the sync loop to the config in force, the metrics, the
// agenda writers' clients, the reconnect mail and prep.
func (d *daemon) scheduler() *sync.Scheduler {
	return &sync.Scheduler{
		Engine:      func() *sync.Engine { return d.app.engine(d.env) },
		Calendars:   d.configured,
		Interval:    func() time.Duration { return d.app.conf().Sync.Interval },
		Concurrency: func() int { return d.app.conf().Sync.Concurrency },
		Cycle:       d.metrics.sync.Cycle,
		Leases:      d.leases,
		Now:         d.env.now,
		Log:         d.log,
		Wake:        d.wake,
		Rediscover:  func() bool { return d.rediscover.Swap(false) },
		Observe:     d.metrics.sync.Synced,
		Failing: func(sum sync.Summary, owner string) {
			d.askToReconnect(sum, owner)
			d.reportCredentials(sum)
		},
		Synced: d.wakePrep,
	}
}

// configured is the enabled calendars of the config in force, each set
// up through the app.
func (d *daemon) configured() []sync.Configured {
	var out []sync.Configured
	for _, c := range d.app.conf().Calendars {
		if !c.Enabled {
			continue
		}
		source, owner := describe(c)
		out = append(out, sync.Configured{Name: c.Name, Kind: c.Type, Source: source, Owner: owner,
			SetUp: func(ctx context.Context) ([]sync.Calendar, error) {
				found, _, err := d.app.setUpCalendar(ctx, c)
				return found, err
			}})
	}
	return out
}
