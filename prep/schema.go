package prep

import (
	"time"
)

// clock returns now, or time.Now when now is nil.
func clock(now func() time.Time) time.Time {
	if now == nil {
		return time.Now().UTC()
	}
	return now().UTC()
}
