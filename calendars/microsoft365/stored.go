package microsoft365

import (
	"context"
)

// stored is the subscription the database holds for calendar name, when
// it watches w's mailbox and posts to address. One that does not (the
// mailbox or public_url changed) is deleted at Graph, briefly, so that
// it stops posting where nobody listens; a new one replaces it. When
// the database cannot be read, nothing is made this round (that would
// make a second subscription beside the stored one).
func (p *Subscriptions) stored(ctx context.Context, name string, w Watched, address string) (Subscription, bool, error) {
	if p.Store == nil {
		return Subscription{}, false, nil
	}
	s, ok, err := p.Store.Subscription(ctx, name)
	if err != nil || !ok {
		return Subscription{}, false, err
	}
	if s.Resource != resource(w.User) || s.Address != address {
		if w.Client.opt.Now().Before(s.Expiry) {
			if err := w.Client.Unsubscribe(ctx, s); err != nil {
				p.log().Info("microsoft365: deleting a replaced subscription failed; Graph drops it at its expiry",
					"calendar", name, "subscription", s.ID, "err", err)
			}
		}
		return Subscription{}, false, nil
	}
	return s, true, nil
}

// letGo forgets the subscriptions of calendars this instance no longer
// syncs; with a Store they stay in place and stored for the instance
// that does.
func (p *Subscriptions) letGo(cals map[string]Watched) {
	if p.Store == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for name, s := range p.subs {
		if _, ok := cals[name]; !ok {
			p.Hook.Forget(s.ID)
			delete(p.subs, name)
			delete(p.unsaved, name)
		}
	}
}
