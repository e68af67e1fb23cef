package microsoft365

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Watched is a mailbox to keep a subscription on.
type Watched struct {
	Client *Client
	User   string
}

// WatchedFeed is the mailbox a Microsoft 365 feed reads, for its
// subscription; ok is false for any other feed.
func WatchedFeed(feed any) (w Watched, ok bool) {
	f, ok := feed.(Feed)
	if !ok {
		return Watched{}, false
	}
	user := f.User
	if user == "" {
		user = f.Client.User()
	}
	return Watched{Client: f.Client, User: user}, true
}

// SubscriptionStore keeps the subscriptions in the database, so that
// every instance sharing it accepts a notification and a restart, or
// another instance taking a calendar over, keeps its subscription.
type SubscriptionStore interface {
	SaveSubscription(ctx context.Context, calendar string, s Subscription) error
	Subscription(ctx context.Context, calendar string) (Subscription, bool, error)
	SubscriptionByID(ctx context.Context, id string) (s Subscription, calendar string, ok bool, err error)
}

// Subscriptions keeps a change-notification subscription on every
// Microsoft 365 calendar set up: created on first sight, renewed before
// it expires, deleted on shutdown. Notifications reach Hook, whose
// Trigger wakes the sync; polling stays as the safety net.
type Subscriptions struct {
	Hook      *Webhook
	Calendars func() map[string]Watched // by calendar name, the ones set up now
	Log       *slog.Logger
	Every     time.Duration // how often subscriptions are looked at; default 10 minutes
	Before    time.Duration // renew a subscription expiring sooner than this; default 12 hours
	// Store, when set, keeps the subscriptions in the database: one
	// stored for a calendar (by this instance before a restart, or by the
	// instance that synced it before) is taken over instead of making
	// another, and subscriptions are left in place at shutdown for
	// whoever syncs the calendar next. Calendars gives only the ones this
	// instance syncs.
	Store SubscriptionStore

	mu      sync.Mutex
	subs    map[string]Subscription // by calendar name
	unsaved map[string]bool         // by calendar name: its last save failed
}

// Run keeps the subscriptions, notifications going to address, until
// ctx ends; then it deletes them.
func (p *Subscriptions) Run(ctx context.Context, address string) error {
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

// Renew subscribes each calendar without a subscription and renews
// those that expire soon (a subscription Graph lost is made again). A
// failure is logged and tried again at the next round.
func (p *Subscriptions) Renew(ctx context.Context, address string) {
	cals := p.Calendars()
	p.letGo(cals)
	for name, w := range cals {
		if err := p.renew(ctx, name, w, address); err != nil {
			p.log().Warn("microsoft365 subscription", "calendar", name, "err", err)
		}
	}
}

// renew keeps calendar name's subscription: the one kept, else the
// stored one, renewed or made again as needed, then stored. A save that
// failed is tried again at the next round, as other instances refuse
// notifications of a subscription they cannot find.
func (p *Subscriptions) renew(ctx context.Context, name string, w Watched, address string) error {
	old, adopted := p.Subscription(name), false
	if old.ID == "" {
		var err error
		if old, adopted, err = p.stored(ctx, name, w, address); err != nil {
			return err
		}
	}
	next, err := p.keep(ctx, w, old, address)
	if err != nil {
		return err
	}
	if next.ID != old.ID || adopted {
		p.Hook.Forget(old.ID)
		p.Hook.Register(next, name)
	}
	p.mu.Lock()
	if p.subs == nil {
		p.subs, p.unsaved = map[string]Subscription{}, map[string]bool{}
	}
	p.subs[name] = next
	save := p.Store != nil && (next != old || p.unsaved[name])
	p.mu.Unlock()
	if !save {
		return nil
	}
	err = p.Store.SaveSubscription(ctx, name, next)
	p.mu.Lock()
	p.unsaved[name] = err != nil
	p.mu.Unlock()
	return err
}

// Subscription is the subscription kept on a calendar, zero if none.
func (p *Subscriptions) Subscription(name string) Subscription {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.subs[name]
}

func (p *Subscriptions) keep(ctx context.Context, w Watched, s Subscription, address string) (Subscription, error) {
	now := w.Client.opt.Now()
	switch {
	case s.ID == "" || !now.Before(s.Expiry):
		return w.Client.Subscribe(ctx, w.User, address)
	case s.Expiry.Sub(now) > orDefault(p.Before, 12*time.Hour):
		return s, nil
	}
	next, err := w.Client.Renew(ctx, s)
	if isStatus(err, http.StatusNotFound) {
		return w.Client.Subscribe(ctx, w.User, address)
	}
	return next, err
}

// stop deletes every subscription, briefly: Graph drops them at their
// expiry anyway. Stored ones stay for whoever syncs the calendars next.
func (p *Subscriptions) stop() {
	if p.Store != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	cals := p.Calendars()
	p.mu.Lock()
	defer p.mu.Unlock()
	for name, s := range p.subs {
		if w, ok := cals[name]; ok {
			w.Client.Unsubscribe(ctx, s)
		}
	}
}

func (p *Subscriptions) log() *slog.Logger {
	if p.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Log
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
