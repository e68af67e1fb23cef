// Package store keeps what the CalDAV adapter must remember: the
// calendars discovery found behind each configured calendar.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/sync/db"
)

// Migrations are the adapter's numbered migrations, under migrations/;
// the daemon applies them as owner MigrationsOwner.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// MigrationsOwner keys the adapter's rows in schema_migrations.
const MigrationsOwner = "caldav"

// Schema is the adapter's tables, for db.Open.
var Schema = db.Schema{Owner: MigrationsOwner, FS: Migrations, Dir: "migrations"}

// DiscoveryStore remembers what caldav.Discover found behind each configured
// calendar, so that a start costs no discovery requests. A stored
// discovery counts only for the URL and username it was made with. A nil
// store remembers nothing (`oneonone check` discovers every time).
type DiscoveryStore struct {
	db  *sql.DB
	now func() time.Time
}

// NewDiscoveryStore keeps discoveries in d; now stamps them (nil is time.Now).
func NewDiscoveryStore(d *sql.DB, now func() time.Time) *DiscoveryStore {
	if now == nil {
		now = time.Now
	}
	return &DiscoveryStore{db: d, now: now}
}

// Load returns the calendars stored for the configured calendar name, and
// false when none are stored or they were found from another URL or
// username.
func (s *DiscoveryStore) Load(ctx context.Context, name, configuredURL, username string) ([]caldav.Calendar, bool, error) {
	if s == nil {
		return nil, false, nil
	}
	var storedURL, storedUser, data string
	err := s.db.QueryRowContext(ctx, `SELECT url, username, calendars FROM caldav_discovery WHERE calendar = ?`, name).
		Scan(&storedURL, &storedUser, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("caldav: load discovery of %s: %w", name, err)
	}
	if storedURL != caldav.Redact(configuredURL) || storedUser != username {
		return nil, false, nil
	}
	var cals []caldav.Calendar
	if err := json.Unmarshal([]byte(data), &cals); err != nil || len(cals) == 0 {
		return nil, false, nil // unreadable: discover again
	}
	return cals, true, nil
}

// Save stores what discovery found for the configured calendar name.
func (s *DiscoveryStore) Save(ctx context.Context, name, configuredURL, username string, cals []caldav.Calendar) error {
	if s == nil {
		return nil
	}
	data, err := json.Marshal(cals)
	if err != nil {
		return fmt.Errorf("caldav: save discovery of %s: %w", name, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO caldav_discovery (calendar, url, username, calendars, discovered_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (calendar) DO UPDATE SET url = excluded.url, username = excluded.username,
		  calendars = excluded.calendars, discovered_at = excluded.discovered_at`,
		name, caldav.Redact(configuredURL), username, string(data), s.now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("caldav: save discovery of %s: %w", name, err)
	}
	return nil
}

// Forget drops the stored discovery of the configured calendar name: the
// next start finds its calendars again.
func (s *DiscoveryStore) Forget(ctx context.Context, name string) error {
	if s == nil {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM caldav_discovery WHERE calendar = ?`, name); err != nil {
		return fmt.Errorf("caldav: forget discovery of %s: %w", name, err)
	}
	return nil
}
