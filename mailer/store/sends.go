package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// recordSends counts a sent message against its recipients' limits and
// forgets sends older than the longest window.
func recordSends(ctx context.Context, tx *sql.Tx, id int64, at time.Time) error {
	var to string
	if err := tx.QueryRowContext(ctx, `SELECT to_addrs FROM mailer_outbox WHERE id = ?`, id).Scan(&to); err != nil {
		return fmt.Errorf("recipients: %w", err)
	}
	var addrs []string
	if err := json.Unmarshal([]byte(to), &addrs); err != nil {
		return fmt.Errorf("recipients: %w", err)
	}
	for _, raw := range addrs {
		addr := raw
		if a, err := mail.ParseAddress(raw); err == nil {
			addr = a.Address
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO mailer_sends (outbox_id, rcpt, sent_at) VALUES (?, ?, ?)`,
			id, strings.ToLower(addr), fmtTime(at)); err != nil {
			return fmt.Errorf("count send: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM mailer_sends WHERE sent_at < ?`, fmtTime(at.Add(-25*time.Hour))); err != nil {
		return fmt.Errorf("prune sends: %w", err)
	}
	return nil
}

// Sends counts the sends in (since, now], to rcpt, or to anyone when
// rcpt is "".
func (o *Outbox) Sends(ctx context.Context, rcpt string, since time.Time) (int, error) {
	q, args := sendsWhere(rcpt, since)
	var n int
	if err := o.DB.QueryRowContext(ctx, `SELECT count(*) `+q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count sends: %w", err)
	}
	return n, nil
}

// SendAt returns when send number skip (0 the oldest) of those Sends
// counts was made.
func (o *Outbox) SendAt(ctx context.Context, rcpt string, since time.Time, skip int) (time.Time, error) {
	q, args := sendsWhere(rcpt, since)
	var s string
	err := o.DB.QueryRowContext(ctx, `SELECT sent_at `+q+` ORDER BY sent_at LIMIT 1 OFFSET ?`, append(args, skip)...).Scan(&s)
	if err != nil {
		return time.Time{}, fmt.Errorf("send %d: %w", skip, err)
	}
	var at time.Time
	if err := parseTime(s, &at); err != nil {
		return time.Time{}, fmt.Errorf("send %d: %w", skip, err)
	}
	return at, nil
}

func sendsWhere(rcpt string, since time.Time) (string, []any) {
	q, args := `FROM mailer_sends WHERE sent_at > ?`, []any{fmtTime(since)}
	if rcpt != "" {
		q, args = q+` AND rcpt = ?`, append(args, rcpt)
	}
	return q, args
}
