package mailer

import (
	"context"
	"time"
)

// CheckLimits is the worker's rate-limit check, for the benchmark (which
// needs mailer/store, so it lives outside the package): the reason the
// message is held back, or "".
func CheckLimits(ctx context.Context, q Queue, l Limits, rcpts []string, now time.Time) (string, error) {
	h, err := checkLimits(ctx, q, l, rcpts, now)
	if h == nil {
		return "", err
	}
	return h.reason(), err
}
