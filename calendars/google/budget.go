package google

import (
	"context"
	"sync"
	"time"

	"github.com/oneonone/oneonone/calendars/webapi"
)

// Google's default Calendar API quotas.
const (
	ProjectPerMinute = 10000
	UserPerMinute    = 600
)

// Budget keeps all Google calendars of the process inside the project's
// and each user's per-minute quotas (see webapi.Budget).
type Budget = webapi.Budget

// NewBudget allows projectPerMinute requests a minute in all, and
// userPerMinute for each user. now and sleep may be nil for the real ones.
func NewBudget(projectPerMinute, userPerMinute int, now func() time.Time, sleepFn func(context.Context, time.Duration) error) *Budget {
	return webapi.NewBudget("google", projectPerMinute, userPerMinute, now, sleepFn)
}

// DefaultBudget is the process-wide budget with Google's default quotas,
// used by clients whose Options name none.
var DefaultBudget = sync.OnceValue(func() *Budget { return NewBudget(ProjectPerMinute, UserPerMinute, nil, nil) })
