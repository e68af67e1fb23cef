package store

import (
	"context"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/mailer"
)

// MarkSending claims a queued or deferred message for one delivery attempt
// and counts the attempt. It returns mailer.ErrNotDue when the message is in any
// other state, so two workers never send the same row at once.
//
// The claim names o.Instance and lasts o.ClaimFor. The conditional update
// is the claim on either database: a second instance's update of the same
// row waits for the first one's and then finds it in sending.
func (o *Outbox) MarkSending(ctx context.Context, id int64) error {
	at := o.now()
	now := fmtTime(at)
	res, err := o.DB.ExecContext(ctx, `UPDATE mailer_outbox
		SET state = 'sending', attempts = attempts + 1, updated_at = ?, claimed_by = ?, claim_expires = ?
		WHERE id = ? AND state IN ('queued', 'deferred')`, now, o.Instance, fmtTime(at.Add(o.claimFor())), id)
	if err != nil {
		return fmt.Errorf("mailer: mark %d sending: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("mailer: mark %d sending: %w", id, mailer.ErrNotDue)
	}
	return nil
}

// MarkSent records that the server accepted the message, and counts it
// against each recipient's rate limit. The last error of earlier attempts
// is kept for the admin view.
func (o *Outbox) MarkSent(ctx context.Context, id int64) error {
	at := o.now()
	now := fmtTime(at)
	tx, err := o.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mailer: mark %d sent: %w", id, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE mailer_outbox
		SET state = 'sent', sent_at = ?, updated_at = ?
		WHERE id = ? AND state = 'sending'`, now, now, id)
	if err != nil {
		return fmt.Errorf("mailer: mark %d sent: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("mailer: mark %d sent: not in state sending", id)
	}
	if err := recordSends(ctx, tx, id, at); err != nil {
		return fmt.Errorf("mailer: mark %d sent: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mailer: mark %d sent: commit: %w", id, err)
	}
	return nil
}

// MarkHeld puts a queued or deferred message back until next without
// counting an attempt: a rate limit held it back, nothing was tried.
func (o *Outbox) MarkHeld(ctx context.Context, id int64, next time.Time, reason string) error {
	return o.finishDue(ctx, id, "held", `UPDATE mailer_outbox
		SET state = 'deferred', next_attempt = ?, last_error = ?, updated_at = ?
		WHERE id = ? AND state IN ('queued', 'deferred')`, fmtTime(next), reason, fmtTime(o.now()), id)
}

// MarkExpired gives up on a queued or deferred message that was not sent
// before its expiry, with the reason.
func (o *Outbox) MarkExpired(ctx context.Context, id int64, reason string) error {
	return o.finishDue(ctx, id, "expired", `UPDATE mailer_outbox
		SET state = 'expired', last_error = ?, updated_at = ?
		WHERE id = ? AND state IN ('queued', 'deferred')`, reason, fmtTime(o.now()), id)
}

// finishDue runs a transition from queued or deferred; mailer.ErrNotDue when the
// message is no longer in either (another worker took it).
func (o *Outbox) finishDue(ctx context.Context, id int64, state, query string, args ...any) error {
	res, err := o.DB.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("mailer: mark %d %s: %w", id, state, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("mailer: mark %d %s: %w", id, state, mailer.ErrNotDue)
	}
	return nil
}

// MarkDeferred puts a message back in the queue, due again at next, with
// the reason it was not sent this time.
func (o *Outbox) MarkDeferred(ctx context.Context, id int64, next time.Time, cause error) error {
	return o.finish(ctx, id, "deferred", `UPDATE mailer_outbox
		SET state = 'deferred', next_attempt = ?, last_error = ?, updated_at = ?
		WHERE id = ? AND state = 'sending'`, fmtTime(next), errText(cause), fmtTime(o.now()), id)
}

// MarkFailed gives up on a message for good, with the reason.
func (o *Outbox) MarkFailed(ctx context.Context, id int64, cause error) error {
	return o.finish(ctx, id, "failed", `UPDATE mailer_outbox
		SET state = 'failed', last_error = ?, updated_at = ?
		WHERE id = ? AND state = 'sending'`, errText(cause), fmtTime(o.now()), id)
}

func (o *Outbox) finish(ctx context.Context, id int64, state, query string, args ...any) error {
	res, err := o.DB.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("mailer: mark %d %s: %w", id, state, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("mailer: mark %d %s: not in state sending", id, state)
	}
	return nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// interruptedError is the last_error of messages found in sending at start.
const interruptedError = "mailer: interrupted while sending (the daemon stopped); retrying"

// Recover puts messages left in sending by a crash or a kill back to
// deferred, due now, and returns how many there were: those this instance
// claimed (it restarted), those claimed before claims named an instance,
// and those whose claim expired (their instance is gone). A live
// instance's message in sending is left alone. Run it at start, before
// the worker sends, and now and then after.
//
// Such a message is sent again. It reaches its recipient twice only if the
// daemon died after the server's final 250 and before MarkSent committed; the
// window is one local SQLite write, and the retry carries the same
// mailer.Message-ID, so clients and servers that deduplicate by it drop the copy.
func (o *Outbox) Recover(ctx context.Context) (int, error) {
	now := fmtTime(o.now())
	res, err := o.DB.ExecContext(ctx, `UPDATE mailer_outbox
		SET state = 'deferred', next_attempt = ?, last_error = ?, updated_at = ?, claimed_by = '', claim_expires = ''
		WHERE state = 'sending' AND (claimed_by = ? OR claimed_by = '' OR claim_expires < ?)`,
		now, interruptedError, now, o.Instance, now)
	if err != nil {
		return 0, fmt.Errorf("mailer: recover: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
