package microsoft365

import (
	"context"
	"sync"
	"time"

	"github.com/oneonone/oneonone/calendars/webapi"
)

// Graph's Outlook limit is 10,000 requests per 10 minutes per app and
// mailbox; the app as a whole is kept well below the per-tenant limits.
const (
	AppPerMinute     = 10000
	MailboxPerMinute = 1000
)

// Budget paces the requests of every Microsoft 365 calendar of the
// process: one bucket for the app, one per mailbox (see webapi.Budget).
// A request waits for its turn rather than being throttled.
type Budget = webapi.Budget

// NewBudget returns a budget of appPerMinute requests for the app and
// mailboxPerMinute for each mailbox; nil now and sleepFn are the real
// clock.
func NewBudget(appPerMinute, mailboxPerMinute int, now func() time.Time, sleepFn func(context.Context, time.Duration) error) *Budget {
	return webapi.NewBudget("microsoft365", appPerMinute, mailboxPerMinute, now, sleepFn)
}

// DefaultBudget is the process-wide budget, used by clients whose
// Options name none.
var DefaultBudget = sync.OnceValue(func() *Budget { return NewBudget(AppPerMinute, MailboxPerMinute, nil, nil) })
