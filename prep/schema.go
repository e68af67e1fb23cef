package prep

import (
	"time"

	"github.com/oneonone/oneonone/prep/store"
)

// querier is a *sql.DB or a *sql.Tx. Reads that need no write lock take
// it: the database opens every transaction IMMEDIATE, so a GET of the form
// reads without a transaction instead of queueing behind writers.
type querier = store.Querier

// clock returns now, or time.Now when now is nil.
func clock(now func() time.Time) time.Time {
	if now == nil {
		return time.Now().UTC()
	}
	return now().UTC()
}
