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

// timeFormat is fixed-width so that stored instants compare as strings.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: fmtTime(t), Valid: true}
}

// Outbox is the durable queue of emails in the database.
type Outbox struct {
	DB  *sql.DB
	Now func() time.Time // the clock; time.Now when nil
	// Instance names this instance among those sharing the outbox; its
	// claims carry it. "" for one instance alone.
	Instance string
	// ClaimFor is how long a claim lasts: after it, another instance
	// takes a message still in sending for one whose sender died.
	// Default DefaultClaimFor.
	ClaimFor time.Duration
}

// DefaultClaimFor outlasts the longest SMTP conversation (a timeout per
// command, a few commands), so a live sender's claim never expires.
const DefaultClaimFor = 10 * time.Minute

func (o *Outbox) claimFor() time.Duration {
	if o.ClaimFor <= 0 {
		return DefaultClaimFor
	}
	return o.ClaimFor
}

// NewOutbox returns an outbox over d, which must have been migrated with
// Migrations.
func NewOutbox(d *sql.DB, now func() time.Time) *Outbox {
	return &Outbox{DB: d, Now: now}
}

func (o *Outbox) now() time.Time {
	if o.Now == nil {
		return time.Now().UTC()
	}
	return o.Now().UTC()
}

// Clock returns the time the outbox stamps its rows with: the worker's
// clock unless it is given one.
func (o *Outbox) Clock() time.Time { return o.now() }

// Enqueue adds m inside the caller's transaction tx, so the mail exists
// exactly when whatever it is about exists. A message whose dedup key is
// already in the outbox (in any state) is not added again: Enqueue then
// returns the existing id and created=false. A nil tx means Enqueue commits
// on its own. After the caller commits, Worker.Notify sends it promptly.
func (o *Outbox) Enqueue(ctx context.Context, tx *sql.Tx, m mailer.Message) (id int64, created bool, err error) {
	if tx == nil {
		return o.enqueueOwnTx(ctx, m)
	}
	if err := m.Validate(); err != nil {
		return 0, false, err
	}
	if m.MessageID == "" {
		if m.MessageID, err = mailer.NewMessageID(m.From); err != nil {
			return 0, false, err
		}
	}
	to, _ := json.Marshal(m.To)
	headers, _ := json.Marshal(nonNil(m.Headers))
	now := fmtTime(o.now())
	err = tx.QueryRowContext(ctx, `INSERT INTO mailer_outbox
		(dedup_key, message_id, from_addr, to_addrs, reply_to, subject, text_body, html_body, headers,
		 state, attempts, next_attempt, created_at, updated_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)
		ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
		m.DedupKey, m.MessageID, m.From, string(to), m.ReplyTo, m.Subject, m.Text, m.HTML, string(headers),
		now, now, now, nullTime(m.Expires)).Scan(&id)
	if err == nil {
		return id, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("mailer: enqueue %s: %w", m.DedupKey, err)
	}
	err = tx.QueryRowContext(ctx, `SELECT id FROM mailer_outbox WHERE dedup_key = ?`, m.DedupKey).Scan(&id)
	if err != nil {
		return 0, false, fmt.Errorf("mailer: enqueue %s: existing: %w", m.DedupKey, err)
	}
	return id, false, nil
}

func (o *Outbox) enqueueOwnTx(ctx context.Context, m mailer.Message) (int64, bool, error) {
	tx, err := o.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("mailer: enqueue %s: %w", m.DedupKey, err)
	}
	defer tx.Rollback()
	id, created, err := o.Enqueue(ctx, tx, m)
	if err != nil {
		return 0, false, err
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("mailer: enqueue %s: commit: %w", m.DedupKey, err)
	}
	return id, created, nil
}

func nonNil(h []mailer.Header) []mailer.Header {
	if h == nil {
		return []mailer.Header{}
	}
	return h
}

// Due returns up to limit queued or deferred messages whose next attempt is
// at or before now, oldest first.
func (o *Outbox) Due(ctx context.Context, now time.Time, limit int) ([]mailer.Message, error) {
	rows, err := o.DB.QueryContext(ctx, `SELECT `+messageColumns+` FROM mailer_outbox
		WHERE state IN ('queued', 'deferred') AND next_attempt <= ?
		ORDER BY next_attempt, id LIMIT ?`, fmtTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("mailer: due: %w", err)
	}
	return scanMessages(rows)
}

// NextDue returns when the earliest queued or deferred message becomes due;
// ok is false when there is none.
func (o *Outbox) NextDue(ctx context.Context) (next time.Time, ok bool, err error) {
	var s sql.NullString
	err = o.DB.QueryRowContext(ctx, `SELECT min(next_attempt) FROM mailer_outbox
		WHERE state IN ('queued', 'deferred')`).Scan(&s)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("mailer: next due: %w", err)
	}
	if !s.Valid {
		return time.Time{}, false, nil
	}
	next, err = time.Parse(timeFormat, s.String)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("mailer: next due: %w", err)
	}
	return next, true, nil
}
