package google

import (
	"context"
	"errors"
	"sync"

	"github.com/oneonone/oneonone/calendars"
)

// Sharing is how Google copies are shared: one event that every guest
// sees, which only the organizer's copy may change.
const Sharing = calendars.OneEvent

// Account is one configured Google calendar.
type Account struct {
	CalendarID string // "" is "primary", the account's own
	Email      string // the owner's address
	// Credentials is a service account's JSON key, acting as Subject;
	// without one, the grant Email connected with `oneonone connect
	// google` is used.
	Credentials []byte
	Subject     string
}

// Owner is the calendar owner's address: Email, else the Subject a
// service account acts as.
func (a Account) Owner() string {
	if a.Email == "" {
		return a.Subject
	}
	return a.Email
}

// Shared is what every Google calendar of a process shares: one request
// budget (Google's quotas are per project) and the store of connected
// accounts' grants, opened once, at the first need.
type Shared struct {
	OpenTokens func() (Tokens, error) // opens the grants' store

	budgetOnce sync.Once
	budget     *Budget
	tokensOnce sync.Once
	tokens     Tokens
	err        error
}

// Budget is the process's request budget.
func (s *Shared) Budget() *Budget {
	s.budgetOnce.Do(func() { s.budget = DefaultBudget() })
	return s.budget
}

// Tokens is the store of connected accounts' grants.
func (s *Shared) Tokens() (Tokens, error) {
	s.tokensOnce.Do(func() {
		if s.OpenTokens == nil {
			s.err = errors.New("google: no store of connected accounts")
			return
		}
		s.tokens, s.err = s.OpenTokens()
	})
	if s.err != nil {
		return nil, s.err
	}
	return s.tokens, nil
}

// Connect acts for acc's calendar: through a service account acting as
// its subject when a key is configured, else through the grant its owner
// gave with `oneonone connect google`. opt.Budget, when nil, is shared's.
func Connect(ctx context.Context, acc Account, app OAuthApp, shared *Shared, opt Options) (*Client, error) {
	if opt.Budget == nil {
		opt.Budget = shared.Budget()
	}
	if len(acc.Credentials) > 0 {
		return NewServiceAccount(ctx, acc.Credentials, acc.Subject, opt)
	}
	store, err := shared.Tokens()
	if err != nil {
		return nil, err
	}
	if acc.Owner() == "" {
		return nil, errors.New("set email to the Google account connected with `oneonone connect google`")
	}
	return NewUser(ctx, app, store, acc.Owner(), opt)
}

// ErrNotConnected: a calendar acts through a connected account, and no
// account is connected on this machine yet.
var ErrNotConnected = errors.New("no Google account is connected on this machine yet: run `oneonone connect google`")

// WatchedFeed is the calendar a Google feed reads, for its push channel;
// ok is false for any other feed.
func WatchedFeed(feed any) (w Watched, ok bool) {
	f, ok := feed.(Feed)
	return Watched{Client: f.Client, CalendarID: f.CalendarID}, ok
}
