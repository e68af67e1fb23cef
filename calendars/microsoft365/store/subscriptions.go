// Package store keeps what the Microsoft 365 adapter must remember: the
// change-notification subscriptions on the mailboxes, so that every
// instance sharing the database accepts Graph's notifications.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars/microsoft365"
	"github.com/oneonone/oneonone/sync/db"
)

// Migrations are the adapter's numbered migrations, under migrations/;
// the daemon applies them as owner MigrationsOwner.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// MigrationsOwner keys the adapter's rows in schema_migrations.
const MigrationsOwner = "microsoft365"

// Schema is the adapter's tables, for db.Open.
var Schema = db.Schema{Owner: MigrationsOwner, FS: Migrations, Dir: "migrations"}

// SubscriptionStore keeps the subscriptions in the database (a
// microsoft365.SubscriptionStore).
type SubscriptionStore struct {
	DB *sql.DB
}

// SaveSubscription stores s as the subscription of calendar, replacing
// the one before; the clientState only as its hash.
func (s SubscriptionStore) SaveSubscription(ctx context.Context, calendar string, sub microsoft365.Subscription) error {
	if sub.ID == "" || sub.StateHash() == "" {
		return fmt.Errorf("microsoft365: save subscription of %s: an id and a clientState are required", calendar)
	}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO microsoft365_subscriptions
		(calendar, subscription_id, resource, address, state_hash, expiry) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (calendar) DO UPDATE SET subscription_id = excluded.subscription_id, resource = excluded.resource,
		address = excluded.address, state_hash = excluded.state_hash, expiry = excluded.expiry`,
		calendar, sub.ID, sub.Resource, sub.Address, sub.StateHash(), sub.Expiry.UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("microsoft365: save subscription of %s: %w", calendar, err)
	}
	return nil
}

// Subscription is the stored subscription of calendar, without its
// clientState.
func (s SubscriptionStore) Subscription(ctx context.Context, calendar string) (microsoft365.Subscription, bool, error) {
	var name string
	return s.scan(ctx, &name, `calendar = ?`, calendar)
}

// SubscriptionByID is the stored subscription with id and the calendar
// it is on.
func (s SubscriptionStore) SubscriptionByID(ctx context.Context, id string) (microsoft365.Subscription, string, bool, error) {
	var name string
	sub, ok, err := s.scan(ctx, &name, `subscription_id = ?`, id)
	return sub, name, ok, err
}

func (s SubscriptionStore) scan(ctx context.Context, name *string, where, arg string) (microsoft365.Subscription, bool, error) {
	var sub microsoft365.Subscription
	var exp string
	err := s.DB.QueryRowContext(ctx, `SELECT calendar, subscription_id, resource, address, state_hash, expiry
		FROM microsoft365_subscriptions WHERE `+where, arg).Scan(name, &sub.ID, &sub.Resource, &sub.Address, &sub.Hash, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, false, nil
	}
	if err != nil {
		return sub, false, fmt.Errorf("microsoft365: subscription: %w", err)
	}
	if sub.Expiry, err = time.Parse(time.RFC3339, exp); err != nil {
		return sub, false, fmt.Errorf("microsoft365: subscription %s: expiry %q: %w", sub.ID, exp, err)
	}
	return sub, true, nil
}
