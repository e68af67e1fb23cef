package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/mailer"
)

const messageColumns = `id, dedup_key, message_id, from_addr, to_addrs, reply_to, subject, text_body,
	html_body, headers, state, attempts, next_attempt, last_error, created_at, sent_at, expires_at`

// Get returns one message by outbox id.
func (o *Outbox) Get(ctx context.Context, id int64) (mailer.Message, error) {
	rows, err := o.DB.QueryContext(ctx, `SELECT `+messageColumns+` FROM mailer_outbox WHERE id = ?`, id)
	if err != nil {
		return mailer.Message{}, fmt.Errorf("mailer: get %d: %w", id, err)
	}
	ms, err := scanMessages(rows)
	if err != nil {
		return mailer.Message{}, err
	}
	if len(ms) == 0 {
		return mailer.Message{}, fmt.Errorf("mailer: get %d: %w", id, mailer.ErrNotFound)
	}
	return ms[0], nil
}

// List returns messages newest first.
func (o *Outbox) List(ctx context.Context, opt mailer.ListOptions) ([]mailer.Message, error) {
	if opt.Limit <= 0 {
		opt.Limit = 50
	}
	q := `SELECT ` + messageColumns + ` FROM mailer_outbox WHERE 1 = 1`
	var args []any
	if opt.State != "" {
		q += ` AND state = ?`
		args = append(args, string(opt.State))
	}
	if opt.Problems {
		q += ` AND (state IN ('failed', 'expired') OR (state IN ('queued', 'deferred') AND last_error != ''))`
	}
	if opt.BeforeID > 0 {
		q += ` AND id < ?`
		args = append(args, opt.BeforeID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, opt.Limit)
	rows, err := o.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("mailer: list: %w", err)
	}
	return scanMessages(rows)
}

// Retry puts failed messages that failed at or after since back in the
// queue, due now, with a fresh count of attempts, and returns how many.
// Expired mail stays expired: what it was about has started.
func (o *Outbox) Retry(ctx context.Context, since time.Time) (int, error) {
	now := fmtTime(o.now())
	res, err := o.DB.ExecContext(ctx, `UPDATE mailer_outbox
		SET state = 'queued', attempts = 0, next_attempt = ?, updated_at = ?
		WHERE state = 'failed' AND updated_at >= ?`, now, now, fmtTime(since))
	if err != nil {
		return 0, fmt.Errorf("mailer: retry: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Counts returns how many messages are in each state, every state present,
// for metrics and the readiness page.
func (o *Outbox) Counts(ctx context.Context) (map[mailer.State]int, error) {
	counts := make(map[mailer.State]int, len(mailer.States))
	for _, s := range mailer.States {
		counts[s] = 0
	}
	rows, err := o.DB.QueryContext(ctx, `SELECT state, count(*) FROM mailer_outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("mailer: counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("mailer: counts: %w", err)
		}
		counts[mailer.State(s)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mailer: counts: %w", err)
	}
	return counts, nil
}

func scanMessages(rows *sql.Rows) ([]mailer.Message, error) {
	defer rows.Close()
	var ms []mailer.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("mailer: scan: %w", err)
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mailer: scan: %w", err)
	}
	return ms, nil
}

func scanMessage(rows *sql.Rows) (mailer.Message, error) {
	var m mailer.Message
	var to, headers, state, next, created string
	var sent, expires sql.NullString
	err := rows.Scan(&m.ID, &m.DedupKey, &m.MessageID, &m.From, &to, &m.ReplyTo, &m.Subject, &m.Text,
		&m.HTML, &headers, &state, &m.Attempts, &next, &m.LastError, &created, &sent, &expires)
	if err != nil {
		return m, err
	}
	m.State = mailer.State(state)
	errs := []error{
		json.Unmarshal([]byte(to), &m.To),
		json.Unmarshal([]byte(headers), &m.Headers),
		parseTime(next, &m.NextAttempt),
		parseTime(created, &m.Created),
	}
	if sent.Valid {
		errs = append(errs, parseTime(sent.String, &m.Sent))
	}
	if expires.Valid {
		errs = append(errs, parseTime(expires.String, &m.Expires))
	}
	if err := errors.Join(errs...); err != nil {
		return m, fmt.Errorf("message %d: %w", m.ID, err)
	}
	return m, nil
}

func parseTime(s string, t *time.Time) error {
	v, err := time.Parse(timeFormat, s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}
