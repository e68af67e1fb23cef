package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
)

// ChannelStore keeps the open push channels in the database (a
// google.ChannelStore).
type ChannelStore struct {
	DB *sql.DB
}

// SaveChannel stores ch as the channel of calendar, replacing the one
// before; the token only as its hash.
func (s ChannelStore) SaveChannel(ctx context.Context, calendar string, ch google.Channel) error {
	exp := ""
	if !ch.Expiration.IsZero() {
		exp = ch.Expiration.UTC().Format(time.RFC3339)
	}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO google_channels
		(calendar, channel_id, resource_id, calendar_id, address, token_hash, expiration) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (calendar) DO UPDATE SET channel_id = excluded.channel_id, resource_id = excluded.resource_id,
		calendar_id = excluded.calendar_id, address = excluded.address, token_hash = excluded.token_hash,
		expiration = excluded.expiration`,
		calendar, ch.ID, ch.ResourceID, ch.CalendarID, ch.Address, ch.TokenHash(), exp)
	if err != nil {
		return fmt.Errorf("google: save channel of %s: %w", calendar, err)
	}
	return nil
}

// Channel is the stored channel of calendar, without its token.
func (s ChannelStore) Channel(ctx context.Context, calendar string) (google.Channel, bool, error) {
	var name string
	return s.scan(ctx, &name, `calendar = ?`, calendar)
}

// ChannelByID is the stored channel with id and the calendar it is on.
func (s ChannelStore) ChannelByID(ctx context.Context, id string) (google.Channel, string, bool, error) {
	var name string
	ch, ok, err := s.scan(ctx, &name, `channel_id = ?`, id)
	return ch, name, ok, err
}

// DeleteChannel forgets the channel id (stopped, or replaced).
func (s ChannelStore) DeleteChannel(ctx context.Context, id string) error {
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM google_channels WHERE channel_id = ?`, id); err != nil {
		return fmt.Errorf("google: delete channel %s: %w", id, err)
	}
	return nil
}

func (s ChannelStore) scan(ctx context.Context, name *string, where string, arg string) (google.Channel, bool, error) {
	var ch google.Channel
	var exp string
	err := s.DB.QueryRowContext(ctx, `SELECT calendar, channel_id, resource_id, calendar_id, address, token_hash, expiration
		FROM google_channels WHERE `+where, arg).Scan(name, &ch.ID, &ch.ResourceID, &ch.CalendarID, &ch.Address, &ch.Hash, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return ch, false, nil
	}
	if err != nil {
		return ch, false, fmt.Errorf("google: channel: %w", err)
	}
	if exp != "" {
		if ch.Expiration, err = time.Parse(time.RFC3339, exp); err != nil {
			return ch, false, fmt.Errorf("google: channel %s: expiration %q: %w", ch.ID, exp, err)
		}
	}
	return ch, true, nil
}
