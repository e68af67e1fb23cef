package google

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Watched is a Google calendar to keep a push channel on.
type Watched struct {
	Client     *Client
	CalendarID string
}

// Channels keeps a push channel open on every Google calendar set up:
// opened on first sight, renewed before it expires, stopped on shutdown.
// Notifications reach Hook, whose Trigger wakes the sync; the poll stays
// as the safety net.
type Channels struct {
	Hook      *Webhook
	Calendars func() map[string]Watched // by calendar name, the ones set up now
	Log       *slog.Logger
	Every     time.Duration // how often channels are looked at; default 10 minutes
	Before    time.Duration // renew a channel expiring sooner than this; default an hour
	// Store, when set, keeps the channels in the database: a channel
	// stored for a calendar (by this instance before a restart, or by the
	// instance that synced it before) is taken over instead of opening
	// another, and channels are left open at shutdown for whoever syncs
	// the calendar next. Calendars gives only the ones this instance syncs.
	Store ChannelStore

	mu       sync.Mutex
	channels map[string]Channel // by calendar name
	unsaved  map[string]bool    // by calendar name: its last save failed
}

// Run keeps the channels, notifications going to address, until ctx
// ends; then it stops them.
func (p *Channels) Run(ctx context.Context, address string) error {
	t := time.NewTicker(orDefault(p.Every, 10*time.Minute))
	defer t.Stop()
	for {
		p.Renew(ctx, address)
		select {
		case <-ctx.Done():
			p.stop()
			return nil
		case <-t.C:
		}
	}
}

// Renew opens a channel on each calendar without one and renews those
// that expire soon. A calendar whose channel fails is logged and tried
// again at the next round.
func (p *Channels) Renew(ctx context.Context, address string) {
	cals := p.Calendars()
	p.letGo(cals)
	for name, w := range cals {
		old, adopted := p.Channel(name), false
		if old.ID == "" {
			old, adopted = p.stored(ctx, name, w)
		}
		next, err := p.open(ctx, w, old, address)
		if err != nil {
			p.log().Warn("google push channel", "calendar", name, "err", err)
			continue
		}
		if next.ID != old.ID || adopted {
			p.Hook.Forget(old.ID)
			p.Hook.Register(next, name)
		}
		p.mu.Lock()
		save := p.Store != nil && (next.ID != old.ID || p.unsaved[name])
		p.mu.Unlock()
		var saveErr error
		if save {
			// Until it is stored, other instances refuse its notifications:
			// a failed save is tried again at the next round.
			if saveErr = p.Store.SaveChannel(ctx, name, next); saveErr != nil {
				p.log().Warn("google push channel", "calendar", name, "err", saveErr)
			}
		}
		p.mu.Lock()
		if p.channels == nil {
			p.channels, p.unsaved = map[string]Channel{}, map[string]bool{}
		}
		p.channels[name] = next
		p.unsaved[name] = saveErr != nil
		p.mu.Unlock()
	}
}

// stored is the channel the database holds for calendar name, when it is
// on the same Google calendar.
func (p *Channels) stored(ctx context.Context, name string, w Watched) (Channel, bool) {
	if p.Store == nil {
		return Channel{}, false
	}
	ch, ok, err := p.Store.Channel(ctx, name)
	if err != nil {
		p.log().Warn("google push channel", "calendar", name, "err", err)
	}
	if !ok || err != nil || ch.CalendarID != w.CalendarID {
		return Channel{}, false
	}
	return ch, true
}

// letGo forgets the channels of calendars this instance no longer syncs;
// with a Store they stay open and stored for the instance that does.
func (p *Channels) letGo(cals map[string]Watched) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for name, ch := range p.channels {
		if _, ok := cals[name]; !ok && p.Store != nil {
			p.Hook.Forget(ch.ID)
			delete(p.channels, name)
			delete(p.unsaved, name)
		}
	}
}

// Channel is the channel open on a calendar, the zero Channel if none.
func (p *Channels) Channel(name string) Channel {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.channels[name]
}

func (p *Channels) open(ctx context.Context, w Watched, ch Channel, address string) (Channel, error) {
	if ch.ID == "" {
		return w.Client.Watch(ctx, w.CalendarID, address, NewChannelToken())
	}
	if ch.Token != "" {
		next, _, err := w.Client.Renew(ctx, ch, orDefault(p.Before, time.Hour))
		return next, err
	}
	// A stored channel's token is not known (only its hash): its
	// successor gets a new one.
	fresh := ch
	fresh.Token = NewChannelToken()
	next, renewed, err := w.Client.Renew(ctx, fresh, orDefault(p.Before, time.Hour))
	if !renewed {
		return ch, err
	}
	return next, err
}

// stop closes every channel, briefly: Google drops unanswered channels
// at their expiry anyway.
func (p *Channels) stop() {
	if p.Store != nil {
		return // left open for whoever syncs the calendars next
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	cals := p.Calendars()
	p.mu.Lock()
	defer p.mu.Unlock()
	for name, ch := range p.channels {
		if w, ok := cals[name]; ok {
			w.Client.Stop(ctx, ch)
		}
	}
}

// log is Log, or a discarding logger when none is set.
func (p *Channels) log() *slog.Logger {
	if p.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Log
}

// orDefault is d, or def when d is not set.
func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
