package sync

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Engine syncs calendars into the database.
type Engine struct {
	DB          *sql.DB
	Now         func() time.Time
	Window      Window
	DefaultZone *time.Location // floating times; nil = UTC
	Log         *slog.Logger
	// OnRekey, when set, moves what others keep by occurrence key along
	// with an occurrence whose key changed (see Rekeyer).
	OnRekey Rekeyer
}

// Summary is what one calendar's sync did.
type Summary struct {
	Calendar string `json:"calendar"`
	Requests int    `json:"requests"`
	Bytes    int64  `json:"bytes"`
	Changes  int    `json:"changes"`
	Events   int    `json:"history_events"`
	Resynced bool   `json:"resynced"`
	Err      error  `json:"-"`
	Error    string `json:"error,omitempty"`
}

// SyncAll syncs every calendar in turn. One calendar failing is recorded
// on that calendar and never stops the others.
func (e *Engine) SyncAll(ctx context.Context, cals []Calendar) []Summary {
	out := make([]Summary, 0, len(cals))
	for _, c := range cals {
		if ctx.Err() != nil {
			break
		}
		out = append(out, e.SyncOne(ctx, c, cals))
	}
	return out
}

// SyncOne pulls one calendar's changes and applies them in one
// transaction together with the new cursor, so a crash at any point
// leaves either all of it or none of it: the next run repeats the same
// changes and records each history event once.
func (e *Engine) SyncOne(ctx context.Context, cal Calendar, all []Calendar) Summary {
	sum := Summary{Calendar: cal.Name}
	log := e.logger().With("calendar", cal.Name)
	id, cursor, err := e.ensureCalendar(ctx, cal)
	if err == nil {
		var d calendars.Delta
		var next string
		d, next, err = cal.Feed.Changes(ctx, cursor)
		sum.Requests, sum.Bytes, sum.Resynced = d.Requests, d.Bytes, d.Resynced
		sum.Changes = len(d.Updated) + len(d.Deleted)
		if err == nil {
			sum.Events, err = e.apply(ctx, id, cal, all, d, next)
		}
	}
	if err != nil {
		sum.Err, sum.Error = err, err.Error()
		e.markFailed(ctx, id, err)
		// The caller decides how loudly to report it (the daemon once per
		// change of error, sync --once on its summary).
		log.Debug("sync failed", "err", err)
		return sum
	}
	level := slog.LevelDebug // an idle poll is not news
	if sum.Changes > 0 || sum.Events > 0 || sum.Resynced {
		level = slog.LevelInfo
	}
	log.Log(ctx, level, "synced", "requests", sum.Requests, "changes", sum.Changes, "history_events", sum.Events, "resynced", sum.Resynced)
	return sum
}

func (e *Engine) logger() *slog.Logger {
	if e.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Log
}

func (e *Engine) now() time.Time {
	if e.Now == nil {
		return time.Now().UTC()
	}
	return e.Now().UTC()
}

func (e *Engine) window() Window {
	if e.Window.Past == 0 && e.Window.Ahead == 0 {
		return DefaultWindow
	}
	return e.Window
}

func (e *Engine) ensureCalendar(ctx context.Context, cal Calendar) (int64, string, error) {
	return e.calendars().EnsureCalendar(ctx, cal.Name, cal.Kind, cal.Source, calendars.NormalizeEmail(cal.Owner))
}

func (e *Engine) markFailed(ctx context.Context, id int64, err error) {
	if id == 0 {
		return
	}
	// The context may be what failed; the health record must still land.
	ctx = context.WithoutCancel(ctx)
	if dbErr := e.calendars().MarkFailed(ctx, id, err.Error(), e.now()); dbErr != nil {
		e.logger().Error("recording calendar failure", "err", dbErr)
	}
}
